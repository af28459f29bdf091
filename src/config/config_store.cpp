#include "config/config_store.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>

namespace lanewise::config {
namespace {

// No IN_MODIFY: a file written in place ends with IN_CLOSE_WRITE, and IN_MODIFY would wake
// the watcher for every write to any file of the folder (a log file next to the config).
constexpr std::uint32_t kDirEvents =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE;

// Whether an event in the watched directory may have changed the config file: the file
// itself, or a Kubernetes-style "..data" symlink swap.
bool Relevant(const inotify_event& ev, const std::string& file_name) {
  if ((ev.mask & IN_Q_OVERFLOW) != 0) return true;
  if (ev.len == 0) return false;
  const std::string_view name(ev.name);
  return name == file_name || name == "..data";
}

// Drains the inotify fd; true when any event was relevant.
bool DrainEvents(int fd, const std::string& file_name) {
  alignas(inotify_event) char buffer[16 * 1024];
  bool relevant = false;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    for (ssize_t offset = 0; offset < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buffer + offset);
      relevant = relevant || Relevant(*ev, file_name);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  return relevant;
}

}  // namespace

core::Result<std::unique_ptr<ConfigStore>> ConfigStore::Open(std::string path,
                                                             LoadOptions options) {
  core::Result<ConfigPtr> initial = LoadConfigFile(path, options);
  if (!initial.ok()) return initial.status();
  return std::make_unique<ConfigStore>(std::move(path), std::move(initial).value(),
                                       std::move(options));
}

ConfigStore::ConfigStore(std::string path, ConfigPtr initial, LoadOptions options)
    : path_(std::move(path)), options_(std::move(options)), current_(std::move(initial)) {}

ConfigStore::~ConfigStore() {
  StopWatching();
}

core::Result<std::string> ConfigStore::Reload() {
  std::lock_guard<std::mutex> lock(reload_mu_);
  core::Result<ConfigPtr> loaded = LoadConfigFile(path_, options_);
  if (!loaded.ok()) return loaded.status();
  std::string version = (*loaded)->version;
  current_.store(std::move(loaded).value(), std::memory_order_release);
  return version;
}

core::Status ConfigStore::StartWatching(ReloadCallback callback,
                                        std::chrono::milliseconds debounce) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  if (watcher_.joinable()) return core::Internal("the config file is already watched");
  std::filesystem::path file(path_);
  std::string dir = file.parent_path().string();
  if (dir.empty()) dir = ".";

  const int inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0) return core::Internal(std::string("inotify_init1: ") + std::strerror(errno));
  if (::inotify_add_watch(inotify_fd, dir.c_str(), kDirEvents) < 0) {
    const int err = errno;
    ::close(inotify_fd);
    return core::Internal("cannot watch " + dir + ": " + std::strerror(err));
  }
  const int stop_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd < 0) {
    ::close(inotify_fd);
    return core::Internal(std::string("eventfd: ") + std::strerror(errno));
  }
  stop_fd_ = stop_fd;
  watcher_ = std::thread([this, inotify_fd, stop_fd, cb = std::move(callback), debounce] {
    WatchLoop(inotify_fd, stop_fd, cb, debounce);
  });
  return core::Status::Ok();
}

void ConfigStore::StopWatching() {
  std::thread watcher;
  int stop_fd = -1;
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    if (!watcher_.joinable()) return;
    watcher = std::move(watcher_);
    stop_fd = stop_fd_;
    stop_fd_ = -1;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(stop_fd, &one, sizeof one);
  watcher.join();
  ::close(stop_fd);
}

void ConfigStore::WatchLoop(int inotify_fd, int stop_fd, ReloadCallback callback,
                            std::chrono::milliseconds debounce) {
  using Clock = std::chrono::steady_clock;
  const std::string file_name = std::filesystem::path(path_).filename().string();
  // A relevant change waits until `debounce` has passed since the last relevant event, so
  // that a burst of writes (editor save, ConfigMap swap) triggers one reload. Unrelated
  // activity in the directory does not postpone it.
  std::optional<Clock::time_point> reload_at;
  for (;;) {
    int timeout = -1;
    if (reload_at.has_value()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*reload_at - Clock::now());
      timeout = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    pollfd fds[2] = {{inotify_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) break;
    if ((fds[0].revents & POLLIN) != 0 && DrainEvents(inotify_fd, file_name)) {
      reload_at = Clock::now() + debounce;
    }
    if (reload_at.has_value() && Clock::now() >= *reload_at) {
      reload_at.reset();
      core::Result<std::string> outcome = Reload();
      if (callback) callback(outcome);
    }
  }
  ::close(inotify_fd);
}

}  // namespace lanewise::config
