// ConfigStore: the running configuration, swapped atomically on reload.
//
// Readers call Current() on any thread, lock-free, and keep the returned snapshot for the
// whole request; a reload never changes a snapshot somebody holds. Reload() re-reads the
// file: on success the new Config replaces the old one in a single atomic store; on any
// error the running Config stays and the error is returned for the caller to log.
//
// StartWatching() runs one background thread that watches the file's DIRECTORY with
// inotify (so editors that save by writing a new file and renaming it over the old one,
// and Kubernetes ConfigMap "..data" symlink swaps, are seen), waits until the directory
// has been quiet for the debounce interval, then calls Reload() and the callback on that
// thread. SIGHUP is the application's business: it calls Reload().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "config/config_loader.h"
#include "core/result.h"
#include "core/status.h"

namespace lanewise::config {

class ConfigStore {
 public:
  // The new version on success, or the load error (the running config was kept).
  using ReloadCallback = std::function<void(const core::Result<std::string>& outcome)>;

  // Loads `path`; fails when the initial load fails.
  static core::Result<std::unique_ptr<ConfigStore>> Open(std::string path,
                                                         LoadOptions options = {});
  // Starts from an already loaded config; Reload() reads `path`.
  ConfigStore(std::string path, ConfigPtr initial, LoadOptions options = {});
  ~ConfigStore();  // stops the watcher, if any

  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // The current snapshot; never null. Thread-safe, lock-free.
  ConfigPtr Current() const { return current_.load(std::memory_order_acquire); }

  // Re-reads the file. Thread-safe; concurrent reloads are serialised.
  core::Result<std::string> Reload();

  // Starts the watcher thread. Fails when already watching or inotify is unavailable.
  // `callback` runs on the watcher thread after each reload attempt; it may be empty.
  core::Status StartWatching(ReloadCallback callback,
                             std::chrono::milliseconds debounce = std::chrono::milliseconds(250));
  // Stops and joins the watcher; a no-op when not watching. Not from the callback.
  void StopWatching();

  const std::string& path() const { return path_; }

 private:
  void WatchLoop(int inotify_fd, int stop_fd, ReloadCallback callback,
                 std::chrono::milliseconds debounce);

  const std::string path_;
  const LoadOptions options_;
  std::atomic<std::shared_ptr<const Config>> current_;
  std::mutex reload_mu_;  // serialises Reload()

  std::mutex watch_mu_;  // guards the fields below
  std::thread watcher_;
  int stop_fd_ = -1;  // eventfd that wakes the watcher to exit
};

}  // namespace lanewise::config
