#include "config/config_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "test_env.h"

namespace lanewise::config {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string LaneYaml(const std::string& alias) {
  return "lanes:\n  - name: local\n    kind: local\n    base_url: http://127.0.0.1:8081/v1\n"
         "    models: [{alias: " +
         alias + ", upstream: m}]\n";
}

class ConfigStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lw_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "gateway.yaml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteInPlace(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  // What editors such as vim and most config-management tools do.
  void WriteByRename(const std::string& text) {
    const fs::path tmp = dir_ / ".gateway.yaml.tmp";
    std::ofstream(tmp) << text;
    fs::rename(tmp, path_);
  }

  std::unique_ptr<ConfigStore> OpenStore() {
    auto store = ConfigStore::Open(path_, testing::OptionsWithEnv({}));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  fs::path dir_;
  std::string path_;
};

// Collects watcher callbacks for the test thread.
struct Outcomes {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<core::Result<std::string>> seen;

  ConfigStore::ReloadCallback Callback() {
    return [this](const core::Result<std::string>& outcome) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(outcome);
      cv.notify_all();
    };
  }
  bool WaitFor(std::size_t count, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, timeout, [&] { return seen.size() >= count; });
  }
};

TEST_F(ConfigStoreTest, OpenFailsOnBrokenFile) {
  WriteInPlace("lanes: [");
  auto store = ConfigStore::Open(path_, testing::OptionsWithEnv({}));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().reason(), "invalid_config");
}

TEST_F(ConfigStoreTest, ReloadSwapsAndOldSnapshotStaysValid) {
  WriteInPlace(LaneYaml("one"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ConfigPtr before = store->Current();
  ASSERT_TRUE(before->ResolveAlias("one").has_value());

  WriteInPlace(LaneYaml("two"));
  auto version = store->Reload();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  ConfigPtr after = store->Current();
  EXPECT_EQ(*version, after->version);
  EXPECT_NE(before->version, after->version);
  EXPECT_TRUE(after->ResolveAlias("two").has_value());
  // A request holding the old snapshot still sees it whole.
  EXPECT_TRUE(before->ResolveAlias("one").has_value());
  EXPECT_FALSE(before->ResolveAlias("two").has_value());
}

TEST_F(ConfigStoreTest, BrokenFileIsRefusedAndOldConfigKeepsServing) {
  WriteInPlace(LaneYaml("one"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const std::string running = store->Current()->version;

  WriteInPlace(LaneYaml("one") + "    colour: blue\n");
  auto outcome = store->Reload();
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("gateway.yaml:6:5"), std::string::npos)
      << outcome.status().message();
  EXPECT_EQ(store->Current()->version, running);

  fs::remove(path_);
  EXPECT_FALSE(store->Reload().ok());
  EXPECT_EQ(store->Current()->version, running);
}

TEST_F(ConfigStoreTest, ReadersNeverSeeATornConfig) {
  WriteInPlace(LaneYaml("a"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        ConfigPtr c = store->Current();
        ASSERT_TRUE(c);
        ASSERT_EQ(c->Aliases().size(), 1u);
        reads.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    WriteInPlace(LaneYaml(i % 2 == 0 ? "b" : "c"));
    ASSERT_TRUE(store->Reload().ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
}

TEST_F(ConfigStoreTest, WatcherReloadsOnRenameAndInPlaceWrite) {
  WriteInPlace(LaneYaml("one"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Outcomes outcomes;
  ASSERT_TRUE(store->StartWatching(outcomes.Callback(), 50ms).ok());
  EXPECT_FALSE(store->StartWatching(nullptr).ok()) << "a second watcher is refused";

  WriteByRename(LaneYaml("two"));
  ASSERT_TRUE(outcomes.WaitFor(1));
  EXPECT_TRUE(store->Current()->ResolveAlias("two").has_value());

  WriteInPlace(LaneYaml("three"));
  ASSERT_TRUE(outcomes.WaitFor(2));
  // In-place writes may be seen as two bursts (truncate, then write); wait for the content.
  for (int i = 0; i < 100 && !store->Current()->ResolveAlias("three"); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(store->Current()->ResolveAlias("three").has_value());

  const std::string good = store->Current()->version;
  const std::size_t before_broken = [&] {
    std::lock_guard<std::mutex> lock(outcomes.mu);
    return outcomes.seen.size();
  }();
  WriteByRename("lanes: [");
  ASSERT_TRUE(outcomes.WaitFor(before_broken + 1));
  {
    std::lock_guard<std::mutex> lock(outcomes.mu);
    EXPECT_FALSE(outcomes.seen.back().ok());
  }
  EXPECT_EQ(store->Current()->version, good);
  store->StopWatching();
  store->StopWatching();  // idempotent
}

TEST_F(ConfigStoreTest, WatcherDebouncesBursts) {
  WriteInPlace(LaneYaml("one"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Outcomes outcomes;
  ASSERT_TRUE(store->StartWatching(outcomes.Callback(), 300ms).ok());
  for (int i = 0; i < 5; ++i) {
    WriteByRename(LaneYaml("burst" + std::to_string(i)));
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(outcomes.WaitFor(1));
  std::this_thread::sleep_for(600ms);
  {
    std::lock_guard<std::mutex> lock(outcomes.mu);
    EXPECT_EQ(outcomes.seen.size(), 1u);
  }
  EXPECT_TRUE(store->Current()->ResolveAlias("burst4").has_value());
}

TEST_F(ConfigStoreTest, UnrelatedFilesDoNotTriggerReload) {
  WriteInPlace(LaneYaml("one"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Outcomes outcomes;
  ASSERT_TRUE(store->StartWatching(outcomes.Callback(), 50ms).ok());
  std::ofstream(dir_ / "other.txt") << "x";
  EXPECT_FALSE(outcomes.WaitFor(1, 400ms));
}

}  // namespace
}  // namespace lanewise::config
