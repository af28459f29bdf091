// MemorySessionStore: sessions remembered, renewed on each turn, forgotten after their
// ttl, and at most max_sessions of them (the least recently used goes first).
#include "state/memory_session_store.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace lanewise::state {
namespace {

using Clock = MemorySessionStore::Clock;

struct FakeClock {
  Clock::time_point now{};
  std::function<Clock::time_point()> fn() {
    return [this] { return now; };
  }
};

TEST(MemorySessionStoreTest, RemembersRenewsAndExpires) {
  FakeClock clock;
  MemorySessionStore store(10, std::chrono::seconds(60), clock.fn());
  EXPECT_FALSE(store.Get("s1").has_value());
  store.Put("s1", {"confidential", "local"});
  ASSERT_TRUE(store.Get("s1").has_value());
  EXPECT_EQ(store.Get("s1")->data_class, "confidential");
  EXPECT_EQ(store.Get("s1")->lane, "local");
  clock.now += std::chrono::seconds(50);
  store.Put("s1", {"restricted", "local"});  // a turn renews the expiry
  clock.now += std::chrono::seconds(50);
  ASSERT_TRUE(store.Get("s1").has_value());
  EXPECT_EQ(store.Get("s1")->data_class, "restricted");
  clock.now += std::chrono::seconds(11);
  EXPECT_FALSE(store.Get("s1").has_value());
  EXPECT_EQ(store.size(), 0u);
}

TEST(MemorySessionStoreTest, BoundedLeastRecentlyUsedGoesFirst) {
  FakeClock clock;
  MemorySessionStore store(3, std::chrono::seconds(60), clock.fn());
  store.Put("a", {"public", "x"});
  store.Put("b", {"public", "x"});
  store.Put("c", {"public", "x"});
  store.Put("a", {"public", "y"});  // a is now the most recent
  store.Put("d", {"public", "x"});  // b goes
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.Get("b").has_value());
  EXPECT_TRUE(store.Get("a").has_value());
  EXPECT_TRUE(store.Get("c").has_value());
  EXPECT_TRUE(store.Get("d").has_value());
}

TEST(MemorySessionStoreTest, ManyThreadsAtOnce) {
  MemorySessionStore store(64, std::chrono::seconds(60));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string id = "s" + std::to_string((i * 7 + t) % 100);
        store.Put(id, {"public", "lane" + std::to_string(t)});
        store.Get(id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(store.size(), 64u);
}

}  // namespace
}  // namespace lanewise::state
