// A small hybrid config shared by the policy unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "config/config_loader.h"
#include "core/facts.h"
#include "core/lane_state.h"
#include "policy/engine.h"

namespace lanewise::policy::testing {

inline constexpr const char* kLanes = R"(
lanes:
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama}, {alias: code, upstream: coder}]
  - name: gpu
    kind: private
    base_url: https://gpu.internal/v1
    models: [{alias: chat, upstream: llama-70b}]
  - name: cloud
    kind: managed
    base_url: https://api.example.com/v1
    models: [{alias: chat, upstream: gpt-4o-mini}, {alias: gpt-4o, upstream: gpt-4o}]
)";

inline constexpr const char* kPolicy = R"(
policy:
  data_classes:
    - {name: public, crossing: allow}
    - {name: internal, crossing: {private: allow, managed: redact}}
    - {name: confidential, kinds: [local, private], crossing: {private: allow}, evidence: true}
    - {name: restricted, crossing: deny, evidence: true}
  classification:
    default: public
    by_score: [{min_score: 0.5, class: internal}, {min_score: 0.8, class: confidential}]
    by_level: [{min_level: 4, class: restricted}]
    by_entity:
      - {types: [CREDIT_CARD, US_SSN], class: restricted}
      - {types: [PERSON, EMAIL_ADDRESS], min_count: 2, class: confidential}
      - {types: ["*"], min_count: 10, class: internal}
  tenants:
    research: {may_lower_class: true}
    legal: {min_class: confidential}
  rules:
    - name: big-context
      when: {input_tokens: {min: 10000}, class_at_most: internal}
      route: {lane: cloud, model: gpt-4o, fallbacks: [gpu]}
    - name: interactive-chat
      when: {latency: interactive, models: [chat]}
      route: {lane: local, fallbacks: [gpu, cloud]}
    - name: auto
      when: {models: [auto]}
      route: {lane: gpu, fallbacks: [local]}
    - name: hard
      when: {difficulty: {min: 0.7}}
      route: {lane: cloud, fallbacks: [gpu]}
    - name: research-tools
      when: {needs_tools: true, tenants: [research]}
      route: {lane: cloud}
)";

inline config::ConfigPtr LoadOrDie(const std::string& yaml) {
  config::LoadOptions options;
  options.env = [](const std::string&) { return std::optional<std::string>(); };
  auto result = config::LoadConfigString(yaml, "policy-test.yaml", options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? result.value() : nullptr;
}

inline config::ConfigPtr PolicyConfig(const std::string& extra = "") {
  return LoadOrDie(std::string(kLanes) + kPolicy + extra);
}

inline core::Facts ChatFacts(std::string alias = "chat") {
  core::Facts facts;
  facts.model_alias = std::move(alias);
  return facts;
}

inline DecideContext FixedContext() {
  DecideContext ctx;
  ctx.decision_id = "dec_test";
  ctx.now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  return ctx;
}

inline std::vector<std::string> PlanLanes(const core::RouteDecision& d) {
  std::vector<std::string> out;
  for (const auto& a : d.plan) out.push_back(a.lane);
  return out;
}

inline bool HasReason(const core::RouteDecision& d, const std::string& code) {
  return std::find(d.reasons.begin(), d.reasons.end(), code) != d.reasons.end();
}

}  // namespace lanewise::policy::testing
