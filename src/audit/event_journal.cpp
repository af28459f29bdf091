#include "audit/event_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/ids.h"

namespace lanewise::audit {
namespace {

constexpr std::string_view kHeader = "lanewise-audit-journal 1 ";

core::Status JournalError(const std::string& what, const std::string& path) {
  return core::Status(core::StatusCode::kUnavailable,
                      "audit journal " + path + ": " + what + ": " + std::strerror(errno),
                      "audit_journal");
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "<seq> <kind> <at_ms> <decision_id> <payload>"
std::optional<JournalEntry> ParseLine(std::string_view line) {
  std::string_view fields[4];
  for (auto& field : fields) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    field = line.substr(0, space);
    line.remove_prefix(space + 1);
  }
  auto seq = ParseInt(fields[0]);
  auto at = ParseInt(fields[2]);
  if (!seq || !at || (fields[1] != "open" && fields[1] != "close")) return std::nullopt;
  JournalEntry entry;
  entry.seq = *seq;
  entry.event.kind = fields[1] == "open" ? EventKind::kOpen : EventKind::kClose;
  entry.event.at_ms = *at;
  entry.event.decision_id = std::string(fields[3]);
  entry.event.payload = std::string(line);
  return entry;
}

// Reads a journal file: its id (from the header) and its complete lines. A missing file
// reads as empty.
void ReadFile(const std::string& path, std::string& id, std::vector<JournalEntry>& entries) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t at = 0;
  while (true) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;  // a torn last line (power loss) is not an entry
    const std::string_view line(text.data() + at, end - at);
    at = end + 1;
    if (line.starts_with(kHeader)) {
      if (id.empty()) id = std::string(line.substr(kHeader.size()));
    } else if (auto entry = ParseLine(line)) {
      entries.push_back(std::move(*entry));
    }
  }
}

}  // namespace

core::Result<std::unique_ptr<EventJournal>> EventJournal::Open(const std::string& path,
                                                               std::uint64_t rotate_bytes) {
  std::unique_ptr<EventJournal> journal(new EventJournal(path, rotate_bytes));
  std::vector<JournalEntry> old_entries;
  ReadFile(path + ".old", journal->id_, old_entries);
  ReadFile(path, journal->id_, journal->found_);
  if (!old_entries.empty()) {
    journal->old_last_seq_ = old_entries.back().seq;
    journal->found_.insert(journal->found_.begin(), std::make_move_iterator(old_entries.begin()),
                           std::make_move_iterator(old_entries.end()));
  }
  for (const auto& e : journal->found_) journal->last_seq_ = std::max(journal->last_seq_, e.seq);
  const bool fresh = journal->id_.empty();
  if (fresh) journal->id_ = core::NewId("j");
  journal->fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (journal->fd_ < 0) return JournalError("open", path);
  struct stat st {};
  if (::fstat(journal->fd_, &st) != 0) return JournalError("stat", path);
  journal->size_ = static_cast<std::uint64_t>(st.st_size);
  if (journal->size_ == 0) {
    if (auto s = journal->StartFile(); !s.ok()) return s;
  }
  return journal;
}

EventJournal::~EventJournal() {
  if (fd_ >= 0) ::close(fd_);
}

core::Status EventJournal::StartFile() {
  if (::ftruncate(fd_, 0) != 0) return JournalError("truncate", path_);
  const std::string header = std::string(kHeader) + id_ + "\n";
  if (::write(fd_, header.data(), header.size()) != static_cast<ssize_t>(header.size())) {
    return JournalError("write", path_);
  }
  size_ = header.size();
  return core::Status::Ok();
}

core::Result<std::int64_t> EventJournal::Append(const AuditEvent& event) {
  const std::int64_t seq = last_seq_ + 1;
  char number[24];
  line_.clear();
  line_.append(number, std::to_chars(number, number + sizeof number, seq).ptr);
  line_ += ' ';
  line_ += EventKindName(event.kind);
  line_ += ' ';
  line_.append(number, std::to_chars(number, number + sizeof number, event.at_ms).ptr);
  line_ += ' ';
  line_ += event.decision_id;
  line_ += ' ';
  line_ += event.payload;
  line_ += '\n';
  std::size_t done = 0;
  while (done < line_.size()) {
    const ssize_t n = ::write(fd_, line_.data() + done, line_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      core::Status failed = JournalError("write", path_);
      // No torn line left for the next entry to be glued to.
      if (done > 0) (void)::ftruncate(fd_, static_cast<off_t>(size_));
      return failed;
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += line_.size();
  last_seq_ = seq;
  return seq;
}

core::Status EventJournal::Stored(std::int64_t seq) {
  const std::string old_path = path_ + ".old";
  if (old_last_seq_ > 0 && seq >= old_last_seq_) {
    if (::unlink(old_path.c_str()) != 0 && errno != ENOENT) return JournalError("unlink", old_path);
    old_last_seq_ = 0;
  }
  if (seq >= last_seq_) {
    // Everything is stored: start over (cheap, and the file stays small when not busy).
    return size_ > kHeader.size() + id_.size() + 1 ? StartFile() : core::Status::Ok();
  }
  if (size_ >= rotate_bytes_ && old_last_seq_ == 0) {
    if (::rename(path_.c_str(), old_path.c_str()) != 0) return JournalError("rename", path_);
    old_last_seq_ = last_seq_;
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return JournalError("open", path_);
    ::close(fd_);
    fd_ = fd;
    return StartFile();
  }
  return core::Status::Ok();
}

}  // namespace lanewise::audit
