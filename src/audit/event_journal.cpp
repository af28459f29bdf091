#include "audit/event_journal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

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

// Reads a journal file: its id (from the header) and its whole lines, up to the first
// zero byte (the unused, reserved end of the file). Returns the offset just past the last
// whole line: where entries continue (0 for a missing or empty file).
std::uint64_t ReadFile(const std::string& path, std::string& id,
                       std::vector<JournalEntry>& entries) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st {};
  void* map = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  }
  ::close(fd);
  if (map == MAP_FAILED) return 0;
  std::string_view text(static_cast<const char*>(map), static_cast<std::size_t>(st.st_size));
  if (const void* zero = std::memchr(text.data(), '\0', text.size())) {
    text = text.substr(0, static_cast<std::size_t>(static_cast<const char*>(zero) - text.data()));
  }
  std::size_t at = 0;
  while (true) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) break;  // a torn last line is not an entry
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.starts_with(kHeader)) {
      if (id.empty()) id = std::string(line.substr(kHeader.size()));
    } else if (auto entry = ParseLine(line)) {
      entries.push_back(std::move(*entry));
    }
  }
  ::munmap(map, static_cast<std::size_t>(st.st_size));
  return at;
}

// A field the journal writes as part of one line.
bool FitsOnALine(std::string_view field) {
  return std::memchr(field.data(), '\n', field.size()) == nullptr &&
         std::memchr(field.data(), '\0', field.size()) == nullptr;
}

}  // namespace

core::Result<std::unique_ptr<EventJournal>> EventJournal::Open(const std::string& path,
                                                               std::uint64_t rotate_bytes) {
  std::unique_ptr<EventJournal> journal(new EventJournal(path, rotate_bytes));
  std::vector<JournalEntry> old_entries;
  ReadFile(path + ".old", journal->id_, old_entries);
  const std::uint64_t used = ReadFile(path, journal->id_, journal->found_);
  if (!old_entries.empty()) {
    journal->old_last_seq_ = old_entries.back().seq;
    journal->found_.insert(journal->found_.begin(), std::make_move_iterator(old_entries.begin()),
                           std::make_move_iterator(old_entries.end()));
  }
  for (const auto& e : journal->found_) journal->last_seq_ = std::max(journal->last_seq_, e.seq);
  if (journal->id_.empty()) journal->id_ = core::NewId("j");
  if (auto s = journal->MapFile(used); !s.ok()) return s;
  return journal;
}

EventJournal::~EventJournal() {
  Unmap();
  if (fd_ >= 0) ::close(fd_);
}

core::Status EventJournal::MapFile(std::uint64_t used) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return JournalError("open", path_);
  if (used == 0) return StartFile();
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return JournalError("stat", path_);
  if (auto s = Reserve(std::max(static_cast<std::uint64_t>(st.st_size), kInitialBytes)); !s.ok()) {
    return s;
  }
  // A torn last line (a power loss) is cleared, so that the next entry is not glued to it.
  for (std::uint64_t at = used; at < capacity_ && map_[at] != '\0'; ++at) map_[at] = '\0';
  size_ = used;
  return core::Status::Ok();
}

void EventJournal::Unmap() {
  if (map_ != nullptr) ::munmap(map_, capacity_);
  map_ = nullptr;
  capacity_ = 0;
}

core::Status EventJournal::Reserve(std::uint64_t bytes) {
  if (bytes <= capacity_) return core::Status::Ok();
  // Allocated now, so that writing into the mapping never needs a disk block (a full disk
  // would otherwise be a SIGBUS in the middle of a copy).
  if (const int error = ::posix_fallocate(fd_, static_cast<off_t>(capacity_),
                                          static_cast<off_t>(bytes - capacity_));
      error != 0) {
    errno = error;
    return JournalError("reserve", path_);
  }
  void* map = map_ == nullptr ? ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0)
                              : ::mremap(map_, capacity_, bytes, MREMAP_MAYMOVE);
  if (map == MAP_FAILED) return JournalError("map", path_);
  map_ = static_cast<char*>(map);
  capacity_ = bytes;
  return core::Status::Ok();
}

core::Status EventJournal::StartFile() {
  Unmap();
  if (::ftruncate(fd_, 0) != 0) return JournalError("truncate", path_);
  if (auto s = Reserve(kInitialBytes); !s.ok()) return s;
  size_ = WriteHeader();
  return core::Status::Ok();
}

std::uint64_t EventJournal::WriteHeader() {
  const std::string header = std::string(kHeader) + id_ + "\n";
  std::memcpy(map_, header.data(), header.size());
  return header.size();
}

core::Result<std::int64_t> EventJournal::Append(const AuditEvent& event) {
  if (!FitsOnALine(event.decision_id) || !FitsOnALine(event.payload)) {
    return core::Internal("an audit event with a newline or zero byte cannot be journaled",
                          "audit_journal");
  }
  const std::int64_t seq = last_seq_ + 1;
  char seq_text[24];
  char at_text[24];
  const std::string_view seq_field(
      seq_text, std::to_chars(seq_text, seq_text + sizeof seq_text, seq).ptr - seq_text);
  const std::string_view at_field(
      at_text, std::to_chars(at_text, at_text + sizeof at_text, event.at_ms).ptr - at_text);
  const std::string_view kind = EventKindName(event.kind);
  const std::uint64_t length = seq_field.size() + kind.size() + at_field.size() +
                               event.decision_id.size() + event.payload.size() + 5;
  if (size_ + length > capacity_) {
    std::uint64_t bytes = std::max(capacity_, kInitialBytes);
    while (bytes < size_ + length) bytes *= 2;
    if (auto s = Reserve(bytes); !s.ok()) return s;
  }
  // "<seq> <kind> <at_ms> <decision_id> <payload>\n"
  char* out = map_ + size_;
  const auto put = [&out](std::string_view field, char after) {
    std::memcpy(out, field.data(), field.size());
    out += field.size();
    *out++ = after;
  };
  put(seq_field, ' ');
  put(kind, ' ');
  put(at_field, ' ');
  put(event.decision_id, ' ');
  std::memcpy(out, event.payload.data(), event.payload.size());
  out += event.payload.size();
  // The '\n' is stored last: a process killed in the middle of this copy leaves a line
  // without it, which no reader takes for an entry.
  std::atomic_signal_fence(std::memory_order_release);
  *out = '\n';
  size_ += length;
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
    // Everything is stored: start over (the file stays small when not busy). A file that
    // grew during a burst gives its space back; else its entries are zeroed in place.
    if (size_ <= kHeader.size() + id_.size() + 1) return core::Status::Ok();
    if (capacity_ > kInitialBytes) return StartFile();
    const std::uint64_t used = size_;
    size_ = WriteHeader();  // again: the file's own first line may have been torn
    std::memset(map_ + size_, 0, used - size_);
    return core::Status::Ok();
  }
  if (size_ >= rotate_bytes_ && old_last_seq_ == 0) {
    if (::rename(path_.c_str(), old_path.c_str()) != 0) return JournalError("rename", path_);
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      core::Status failed = JournalError("open", path_);
      (void)::rename(old_path.c_str(), path_.c_str());  // go on appending to the same file
      return failed;
    }
    old_last_seq_ = last_seq_;
    Unmap();
    ::close(fd_);
    fd_ = fd;
    return StartFile();
  }
  return core::Status::Ok();
}

}  // namespace lanewise::audit
