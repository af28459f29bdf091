// EventJournal: the audit events accepted but not yet in the store, in a local
// append-only file that is memory-mapped (MAP_SHARED). Appending an event is a copy into
// the mapping, no system call: the bytes are in the OS page cache as soon as they are
// copied, exactly as a write(2) would leave them, so a process killed with kill -9 loses
// none of them (a power loss may: there is no fsync, as before). At the next start the
// writer appends the journal's events that the store does not have (queued_writer.h); the
// store records how far it has taken each journal (meta `journal:<id>`) in the same
// transaction as the events, so none is appended twice.
//
// The file: a header line, then one line per event, then zero bytes up to its allocated
// size. An entry's bytes are copied before its final '\n', so a line that ends in '\n' is
// whole; reading stops at the first zero byte and drops a last line without '\n'. Space is
// reserved with posix_fallocate before the mapping is written (from `kInitialBytes`,
// doubling): a full disk is an error from Append, never a SIGBUS.
//
// Once the entries hold `rotate_bytes`, the file is renamed `<path>.old` and a new one
// started; `<path>.old` is deleted when every event in it is in the store. When every
// entry is stored, the file starts over. One process per journal file. Not thread-safe:
// the QueuedWriter calls it under its mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "core/result.h"

namespace lanewise::audit {

struct JournalEntry {
  std::int64_t seq = 0;  // the journal's own sequence, increasing across restarts
  AuditEvent event;
};

class EventJournal {
 public:
  static constexpr std::uint64_t kDefaultRotateBytes = 64ull << 20;
  static constexpr std::uint64_t kInitialBytes = 1ull << 20;

  // Opens (creating) the journal at `path` and reads the entries it holds.
  static core::Result<std::unique_ptr<EventJournal>> Open(
      const std::string& path, std::uint64_t rotate_bytes = kDefaultRotateBytes);
  ~EventJournal();
  EventJournal(const EventJournal&) = delete;
  EventJournal& operator=(const EventJournal&) = delete;

  // The journal's identity (kept across restarts and rotations): the store's meta key
  // for it is "journal:" + id().
  const std::string& id() const { return id_; }
  // The entries found at Open, in order (complete lines only).
  std::vector<JournalEntry> TakeFound() { return std::move(found_); }
  // Continues the sequence after `seq` (the larger of what the store and the file hold).
  void ContinueAfter(std::int64_t seq) { last_seq_ = std::max(last_seq_, seq); }

  // Writes `event` as the next entry; its sequence number, or an error (disk full...).
  core::Result<std::int64_t> Append(const AuditEvent& event);

  // Every entry up to `seq` is in the store: rotates the file when it is big enough, drops
  // the previous one once it is entirely stored, and empties both when `seq` is the last.
  core::Status Stored(std::int64_t seq);

  // Bytes of the current file in use (header and entries) and reserved on disk.
  std::uint64_t used_bytes() const { return size_; }
  std::uint64_t reserved_bytes() const { return capacity_; }

 private:
  EventJournal(std::string path, std::uint64_t rotate_bytes)
      : path_(std::move(path)), rotate_bytes_(rotate_bytes) {}
  // Opens `path_` (creating it) and maps it; `size_` is where entries continue.
  core::Status MapFile(std::uint64_t used);
  core::Status StartFile();                   // the current file holds the header line only
  std::uint64_t WriteHeader();                // at the start of the mapping; its size
  core::Status Reserve(std::uint64_t bytes);  // grows the file and the mapping to `bytes`
  void Unmap();

  std::string path_;
  std::uint64_t rotate_bytes_;
  std::string id_;
  int fd_ = -1;
  char* map_ = nullptr;
  std::uint64_t capacity_ = 0;  // the file's reserved size, all of it mapped
  std::uint64_t size_ = 0;      // bytes in use: header and whole entries
  std::int64_t last_seq_ = 0;
  std::int64_t old_last_seq_ = 0;  // last entry of <path>.old; 0 when there is none
  std::vector<JournalEntry> found_;
};

}  // namespace lanewise::audit
