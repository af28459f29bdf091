#include "route/cascade_judge.h"

#include <array>
#include <cctype>
#include <cmath>

#include <boost/json/array.hpp>

namespace lanewise::route {
namespace {

constexpr std::size_t kHeadBytes = 96;

// Openings of a refusal, lower case, apostrophes as typed by models (both forms).
constexpr std::array<std::string_view, 16> kRefusalOpenings{{
    "i'm sorry, but",
    "i am sorry, but",
    "i’m sorry, but",
    "sorry, but i can",
    "i can't help",
    "i can’t help",
    "i cannot help",
    "i can't assist",
    "i can’t assist",
    "i cannot assist",
    "i can't provide",
    "i cannot provide",
    "i'm unable to",
    "i’m unable to",
    "i am unable to",
    "i won't be able to",
}};

const boost::json::array* ChoicesOf(const boost::json::object& object) {
  auto it = object.find("choices");
  if (it == object.end() || !it->value().is_array()) return nullptr;
  return &it->value().get_array();
}

const boost::json::object* ObjectAt(const boost::json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

bool IsNonEmptyString(const boost::json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it != object.end() && it->value().is_string() && !it->value().get_string().empty();
}

}  // namespace

bool OpensWithRefusal(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  std::string head;
  for (std::size_t i = start; i < text.size() && head.size() < kHeadBytes; ++i) {
    head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
  }
  for (std::string_view opening : kRefusalOpenings) {
    if (head.compare(0, opening.size(), opening) == 0) return true;
  }
  return false;
}

void CascadeJudge::AddLogprobs(const boost::json::value* logprobs) {
  if (logprobs == nullptr || !logprobs->is_object()) return;
  auto content = logprobs->get_object().find("content");
  if (content == logprobs->get_object().end() || !content->value().is_array()) return;
  for (const boost::json::value& entry : content->value().get_array()) {
    if (!entry.is_object()) continue;
    auto lp = entry.get_object().find("logprob");
    if (lp == entry.get_object().end() || !lp->value().is_number()) continue;
    const double value = lp->value().to_number<double>();
    if (!std::isfinite(value)) continue;
    logprob_sum_ += std::min(value, 0.0);
    ++tokens_;
  }
}

void CascadeJudge::AddText(std::string_view text) {
  if (head_.size() >= kHeadBytes) return;
  head_.append(text.substr(0, kHeadBytes - head_.size()));
}

void CascadeJudge::AddCompletion(const boost::json::object& completion) {
  AddChoices(completion, "message");
}

void CascadeJudge::AddChunk(const boost::json::object& chunk) {
  AddChoices(chunk, "delta");
}

// A whole answer's choices hold a "message", a stream chunk's a "delta"; both carry the
// same logprobs, finish reason, refusal and content.
void CascadeJudge::AddChoices(const boost::json::object& answer, std::string_view body_key) {
  const boost::json::array* choices = ChoicesOf(answer);
  if (choices == nullptr) return;
  for (const boost::json::value& choice_value : *choices) {
    if (!choice_value.is_object()) continue;
    const boost::json::object& choice = choice_value.get_object();
    auto lp = choice.find("logprobs");
    AddLogprobs(lp == choice.end() ? nullptr : &lp->value());
    if (IsNonEmptyString(choice, "finish_reason") &&
        choice.at("finish_reason").get_string() == "length") {
      truncated_ = true;
    }
    if (const boost::json::object* body = ObjectAt(choice, body_key)) {
      if (IsNonEmptyString(*body, "refusal")) refusal_field_ = true;
      // The head is the first choice's text; with n > 1 it mixes choices, which is still a
      // refusal when every choice refuses alike.
      if (IsNonEmptyString(*body, "content")) AddText(body->at("content").get_string());
    }
  }
}

CascadeVerdict CascadeJudge::Verdict(const core::CascadeSettings& settings) const {
  CascadeVerdict v;
  v.scored_tokens = tokens_;
  if (tokens_ > 0) v.confidence = std::exp(logprob_sum_ / tokens_);
  v.refusal = refusal_field_ || OpensWithRefusal(head_);
  v.truncated = truncated_;
  if (v.refusal && settings.escalate_on_refusal) {
    v.reason = "refusal";
  } else if (v.truncated && settings.escalate_on_truncation) {
    v.reason = "truncated";
  } else if (tokens_ == 0) {
    if (settings.escalate_unscored) v.reason = "unscored";
  } else if (v.confidence < settings.threshold) {
    v.reason = "low_confidence";
  }
  v.escalate = !v.reason.empty();
  return v;
}

bool ClientAskedLogprobs(const core::ChatRequest& request) {
  auto it = request.body.find("logprobs");
  return it != request.body.end() && it->value().is_bool() && it->value().get_bool();
}

bool StripLogprobs(boost::json::object& completion_or_chunk) {
  auto it = completion_or_chunk.find("choices");
  if (it == completion_or_chunk.end() || !it->value().is_array()) return false;
  bool stripped = false;
  for (boost::json::value& choice : it->value().get_array()) {
    if (choice.is_object()) stripped = choice.get_object().erase("logprobs") > 0 || stripped;
  }
  return stripped;
}

}  // namespace lanewise::route
