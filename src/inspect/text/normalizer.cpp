#include "inspect/text/normalizer.h"

#include "inspect/text/json_escape.h"

#include <utf8proc.h>

#include <array>
#include <cstring>

namespace lanewise::inspect {
namespace {

bool IsAscii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & 0x8080808080808080ULL) return false;
  }
  for (; i < n; ++i) {
    if (p[i] & 0x80) return false;
  }
  return true;
}

// The ASCII digit of a decimal digit (category Nd) of any script. Unicode allocates
// decimal digits in contiguous runs of ten starting with zero, so the value is the
// distance from the start of the run, modulo ten.
char DigitOf(utf8proc_int32_t cp) {
  utf8proc_int32_t first = cp;
  while (first > 0 && utf8proc_category(first - 1) == UTF8PROC_CATEGORY_ND) --first;
  return static_cast<char>('0' + (cp - first) % 10);
}

// A single replacement character for code points that map to one ASCII byte, or 0.
char SimpleMapping(utf8proc_int32_t cp, utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_ZS:
      return ' ';
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return '\n';
    case UTF8PROC_CATEGORY_PD:
      return '-';
    case UTF8PROC_CATEGORY_ND:
      return DigitOf(cp);
    default:
      break;
  }
  if (cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D) return '-';  // minus signs (Sm)
  return 0;
}

// The text with its JSON escapes decoded, and for every decoded byte the original byte
// range it came from. False when the text holds no escape.
bool DecodeJsonEscapes(std::string_view original, std::string& decoded,
                       std::vector<std::uint32_t>& from, std::vector<std::uint32_t>& to) {
  const std::size_t n = original.size();
  bool any = false;
  decoded.reserve(n);
  from.reserve(n);
  to.reserve(n);
  for (std::size_t i = 0; i < n;) {
    const JsonEscape escape = JsonEscapeAt(original, i);
    if (escape.length == 0) {
      decoded.push_back(original[i]);
      from.push_back(static_cast<std::uint32_t>(i));
      to.push_back(static_cast<std::uint32_t>(i + 1));
      ++i;
      continue;
    }
    any = true;
    const std::size_t before = decoded.size();
    AppendUtf8(decoded, escape.code_point);
    for (std::size_t k = before; k < decoded.size(); ++k) {
      from.push_back(static_cast<std::uint32_t>(i));
      to.push_back(static_cast<std::uint32_t>(i + escape.length));
    }
    i += escape.length;
  }
  return any;
}

bool IsHangulJamoFollower(utf8proc_int32_t cp) {
  return (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2);
}

class Builder {
 public:
  explicit Builder(std::string_view original) : original_(original) {
    storage_.reserve(original.size() + 16);
    orig_start_.reserve(original.size() + 16);
    orig_end_.reserve(original.size() + 16);
  }

  void EmitByte(char c, std::size_t from, std::size_t to) {
    storage_.push_back(c);
    orig_start_.push_back(static_cast<std::uint32_t>(from));
    orig_end_.push_back(static_cast<std::uint32_t>(to));
  }

  void EmitCodePoint(utf8proc_int32_t cp, std::size_t from, std::size_t to) {
    if (cp < 0x80) {
      EmitByte(static_cast<char>(cp), from, to);
      return;
    }
    const auto category = utf8proc_category(cp);
    if (category == UTF8PROC_CATEGORY_CF) return;
    if (char mapped = SimpleMapping(cp, category)) {
      EmitByte(mapped, from, to);
      return;
    }
    std::array<utf8proc_uint8_t, 4> bytes{};
    const auto len = utf8proc_encode_char(cp, bytes.data());
    for (utf8proc_ssize_t k = 0; k < len; ++k) {
      EmitByte(static_cast<char>(bytes[static_cast<std::size_t>(k)]), from, to);
    }
  }

  // NFKC of one segment (a starter and the combining marks after it) of the original.
  void EmitSegment(std::size_t from, std::size_t to) {
    if (from >= to) return;
    const auto* str = reinterpret_cast<const utf8proc_uint8_t*>(original_.data() + from);
    const auto len = static_cast<utf8proc_ssize_t>(to - from);
    const auto options =
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE);
    utf8proc_ssize_t n = utf8proc_decompose(str, len, buffer_.data(),
                                            static_cast<utf8proc_ssize_t>(buffer_.size()), options);
    if (n > static_cast<utf8proc_ssize_t>(buffer_.size())) {
      buffer_.resize(static_cast<std::size_t>(n));
      n = utf8proc_decompose(str, len, buffer_.data(), n, options);
    }
    if (n < 0) {  // cannot happen for validated input; keep the bytes as they are
      for (std::size_t i = from; i < to; ++i) EmitByte(original_[i], from, to);
      return;
    }
    n = utf8proc_normalize_utf32(
        buffer_.data(), n, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      EmitCodePoint(buffer_[static_cast<std::size_t>(k)], from, to);
    }
  }

  void Run() {
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(original_.data());
    const std::size_t n = original_.size();
    std::size_t seg_from = 0;
    std::size_t seg_to = 0;  // empty segment when equal
    std::size_t i = 0;
    while (i < n) {
      if (bytes[i] < 0x80) {
        EmitSegment(seg_from, seg_to);
        if (i + 1 < n && bytes[i + 1] >= 0x80) {  // may take combining marks: a segment
          seg_from = i;
          seg_to = i + 1;
        } else {
          seg_from = seg_to = i + 1;
          EmitByte(static_cast<char>(bytes[i]), i, i + 1);
        }
        ++i;
        continue;
      }
      utf8proc_int32_t cp = 0;
      utf8proc_ssize_t len = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
      if (len <= 0) {  // invalid byte: one U+FFFD, segment boundary
        EmitSegment(seg_from, seg_to);
        EmitCodePoint(0xFFFD, i, i + 1);
        seg_from = seg_to = i + 1;
        ++i;
        continue;
      }
      const std::size_t next = i + static_cast<std::size_t>(len);
      const auto* property = utf8proc_get_property(cp);
      const auto category = static_cast<utf8proc_category_t>(property->category);
      if (category == UTF8PROC_CATEGORY_CF) {  // dropped
        EmitSegment(seg_from, seg_to);
        seg_from = seg_to = next;
        const auto at = static_cast<std::uint32_t>(storage_.size());
        if (hidden_breaks_.empty() || hidden_breaks_.back() != at) hidden_breaks_.push_back(at);
      } else if (char mapped = SimpleMapping(cp, category)) {
        EmitSegment(seg_from, seg_to);
        EmitByte(mapped, i, next);
        seg_from = seg_to = next;
      } else if (property->combining_class != 0 || IsHangulJamoFollower(cp)) {
        if (seg_from == seg_to) seg_from = i;  // a mark without a base: its own segment
        seg_to = next;
      } else {  // a new starter
        EmitSegment(seg_from, seg_to);
        seg_from = i;
        seg_to = next;
      }
      i = next;
    }
    EmitSegment(seg_from, seg_to);
  }

  std::string storage_;
  std::vector<std::uint32_t> orig_start_;
  std::vector<std::uint32_t> orig_end_;
  std::vector<std::uint32_t> hidden_breaks_;

 private:
  std::string_view original_;
  std::vector<utf8proc_int32_t> buffer_ = std::vector<utf8proc_int32_t>(64);
};

}  // namespace

std::pair<std::size_t, std::size_t> NormalizedText::ToOriginal(std::size_t start,
                                                               std::size_t end) const {
  if (identity_) return {start, end};
  if (orig_start_.empty()) return {0, 0};
  if (start >= orig_start_.size()) return {original_.size(), original_.size()};
  const std::size_t from = orig_start_[start];
  if (end <= start) return {from, from};
  return {from, orig_end_[end - 1]};
}

NormalizedText Normalize(std::string_view original) {
  NormalizedText out;
  out.original_ = original;
  const bool may_escape = original.find('\\') != std::string_view::npos;
  if (!may_escape && IsAscii(original)) return out;
  // Escapes first: the decoded text is normalised like any other, then its offsets are
  // mapped through the decoding back to the original's.
  std::string decoded;
  std::vector<std::uint32_t> decoded_from;
  std::vector<std::uint32_t> decoded_to;
  const bool escaped = may_escape && DecodeJsonEscapes(original, decoded, decoded_from, decoded_to);
  if (!escaped && IsAscii(original)) return out;
  Builder builder(escaped ? std::string_view(decoded) : original);
  builder.Run();
  if (escaped) {
    for (std::size_t k = 0; k < builder.orig_start_.size(); ++k) {
      builder.orig_start_[k] = decoded_from[builder.orig_start_[k]];
      builder.orig_end_[k] = decoded_to[builder.orig_end_[k] - 1];
    }
  }
  out.identity_ = false;
  out.storage_ = std::move(builder.storage_);
  out.orig_start_ = std::move(builder.orig_start_);
  out.orig_end_ = std::move(builder.orig_end_);
  out.hidden_breaks_ = std::move(builder.hidden_breaks_);
  return out;
}

}  // namespace lanewise::inspect
