#include "inspect/rules/pattern_database.h"

#include <array>
#include <atomic>
#include <utility>

namespace lanewise::inspect {
namespace {

std::atomic<std::uint64_t> next_uid{1};

// A few scratches per thread: one per live database the thread has scanned with
// (normally one; two or three around a policy reload). Least recently used goes first.
class ScratchCache {
 public:
  ~ScratchCache() {
    for (auto& entry : entries_) {
      if (entry.scratch != nullptr) hs_free_scratch(entry.scratch);
    }
  }

  hs_scratch_t* Get(std::uint64_t uid, const hs_scratch_t* prototype) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].uid == uid && entries_[i].scratch != nullptr) {
        if (i != 0) std::swap(entries_[i], entries_[0]);
        return entries_[0].scratch;
      }
    }
    hs_scratch_t* scratch = nullptr;
    if (hs_clone_scratch(prototype, &scratch) != HS_SUCCESS) return nullptr;
    Entry& victim = entries_.back();
    if (victim.scratch != nullptr) hs_free_scratch(victim.scratch);
    victim = {uid, scratch};
    std::swap(entries_.back(), entries_[0]);
    return scratch;
  }

 private:
  struct Entry {
    std::uint64_t uid = 0;
    hs_scratch_t* scratch = nullptr;
  };
  std::array<Entry, 4> entries_{};
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/,
            void* context) {
  auto* out = static_cast<std::vector<RawMatch>*>(context);
  out->push_back({id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  return 0;
}

}  // namespace

PatternDatabase::PatternDatabase(hs_database_t* db, hs_scratch_t* prototype)
    : db_(db), prototype_(prototype), uid_(next_uid.fetch_add(1)) {}

PatternDatabase::~PatternDatabase() {
  if (prototype_ != nullptr) hs_free_scratch(prototype_);
  if (db_ != nullptr) hs_free_database(db_);
}

core::Result<std::shared_ptr<const PatternDatabase>> PatternDatabase::Compile(
    const std::vector<PatternSpec>& patterns, int* failed_index) {
  if (failed_index != nullptr) *failed_index = -1;
  if (patterns.empty()) return core::InvalidArgument("no patterns to compile");
  std::vector<const char*> expressions;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
  for (const auto& p : patterns) {
    expressions.push_back(p.expression.c_str());
    flags.push_back(p.som ? (p.flags | HS_FLAG_SOM_LEFTMOST) : p.flags);
    ids.push_back(p.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS) {
    if (failed_index != nullptr && error != nullptr) *failed_index = error->expression;
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return core::InvalidArgument(std::move(message), "bad_pattern");
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    hs_free_database(db);
    return core::Internal("cannot allocate Hyperscan scratch");
  }
  return std::shared_ptr<const PatternDatabase>(new PatternDatabase(db, scratch));
}

core::Status PatternDatabase::Check(const std::string& expression, unsigned int flags) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(expression.c_str(), flags | HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, nullptr, &db,
                 &error) != HS_SUCCESS) {
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return core::InvalidArgument(std::move(message), "bad_pattern");
  }
  hs_free_database(db);
  return core::Status::Ok();
}

hs_scratch_t* PatternDatabase::ThreadScratch() const {
  thread_local ScratchCache cache;
  return cache.Get(uid_, prototype_);
}

core::Status PatternDatabase::Scan(std::string_view text, std::vector<RawMatch>& out) const {
  if (text.empty()) return core::Status::Ok();
  hs_scratch_t* scratch = ThreadScratch();
  if (scratch == nullptr) return core::Internal("cannot clone Hyperscan scratch");
  const hs_error_t rc =
      hs_scan(db_, text.data(), static_cast<unsigned int>(text.size()), 0, scratch, OnMatch, &out);
  if (rc != HS_SUCCESS) return core::Internal("Hyperscan scan failed: " + std::to_string(rc));
  return core::Status::Ok();
}

}  // namespace lanewise::inspect
