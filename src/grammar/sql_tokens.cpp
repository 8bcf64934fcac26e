#include "grammar/sql_tokens.hpp"

#include <pg_query.h>

#include <cstdint>
#include <memory>

namespace sonamu::grammar {

namespace {

/// Reads libpg_query's ScanResult message (pg_query.proto) from its protocol-buffer encoding:
/// `repeated ScanToken tokens = 2`, each with `start = 1`, `end = 2`, `token = 4`. Debian ships
/// libpg_query without the protobuf-c headers, and these are four fields of one fixed schema.
class ScanReader {
 public:
  ScanReader(const unsigned char* data, std::size_t size) : at_(data), end_(data + size) {}

  /// False when the encoding is cut short or malformed.
  bool read_tokens(std::vector<SqlToken>& tokens) {
    while (at_ < end_) {
      std::uint64_t key = 0;
      if (!varint(key)) return false;
      if ((key >> 3) == 2 && (key & 7) == 2) {
        std::uint64_t length = 0;
        if (!varint(length) || length > static_cast<std::uint64_t>(end_ - at_)) return false;
        ScanReader token(at_, static_cast<std::size_t>(length));
        at_ += length;
        SqlToken read;
        if (!token.read_token(read)) return false;
        tokens.push_back(read);
      } else if (!skip(key & 7)) {
        return false;
      }
    }
    return true;
  }

 private:
  bool read_token(SqlToken& token) {
    while (at_ < end_) {
      std::uint64_t key = 0;
      std::uint64_t value = 0;
      if (!varint(key)) return false;
      if ((key & 7) != 0) {
        if (!skip(key & 7)) return false;
        continue;
      }
      if (!varint(value)) return false;
      switch (key >> 3) {
        case 1: token.start = static_cast<std::size_t>(value); break;
        case 2: token.end = static_cast<std::size_t>(value); break;
        case 4: token.kind = static_cast<int>(value); break;
        default: break;
      }
    }
    return true;
  }

  bool varint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
      const unsigned char byte = *at_++;
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool skip(std::uint64_t wire_type) {
    std::uint64_t value = 0;
    switch (wire_type) {
      case 0: return varint(value);
      case 1: return advance(8);
      case 2: return varint(value) && advance(value);
      case 5: return advance(4);
      default: return false;
    }
  }

  bool advance(std::uint64_t bytes) {
    if (bytes > static_cast<std::uint64_t>(end_ - at_)) return false;
    at_ += bytes;
    return true;
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

}  // namespace

std::size_t error_offset(const std::string& sql, int cursorpos) {
  // cursorpos counts characters from 1; 0 when PostgreSQL did not say where.
  if (cursorpos <= 0) return 0;
  std::size_t characters = static_cast<std::size_t>(cursorpos - 1);
  std::size_t at = 0;
  for (; at < sql.size(); ++at) {
    const bool starts_character = (static_cast<unsigned char>(sql[at]) & 0xC0) != 0x80;
    if (starts_character) {
      if (characters == 0) break;
      --characters;
    }
  }
  return at;
}

ScanOutcome scan_sql(const std::string& sql) {
  const std::unique_ptr<PgQueryScanResult, void (*)(PgQueryScanResult*)> result(
      new PgQueryScanResult(pg_query_scan(sql.c_str())), [](PgQueryScanResult* scanned) {
        pg_query_free_scan_result(*scanned);
        delete scanned;
      });
  ScanOutcome outcome;
  if (result->error != nullptr) {
    outcome.ok = false;
    outcome.error = result->error->message != nullptr ? result->error->message : "the SQL does not scan";
    outcome.error_at = error_offset(sql, result->error->cursorpos);
    return outcome;
  }
  ScanReader reader(reinterpret_cast<const unsigned char*>(result->pbuf.data), result->pbuf.len);
  if (!reader.read_tokens(outcome.tokens)) {
    outcome.ok = false;
    outcome.error = "the scanner's answer could not be read";
    outcome.tokens.clear();
  }
  return outcome;
}

}  // namespace sonamu::grammar
