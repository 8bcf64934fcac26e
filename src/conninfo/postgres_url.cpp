#include "conninfo/postgres_url.hpp"

#include "core/error.hpp"

#include <cctype>
#include <regex>
#include <utility>
#include <vector>

namespace sonamu::conninfo {

namespace {

using Options = std::map<std::string, std::string>;

[[noreturn]] void refuse(const std::string& origin, const std::string& problem) {
  throw Error(ExitCode::usage, "Invalid connection string in " + origin + ": " + problem);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool escape_at(const std::string& text, std::size_t i) {
  return text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0;
}

/// JavaScript's decodeURIComponent (`keep` empty) or decodeURI (`keep` the reserved
/// characters, which stay escaped). False for a `%` not followed by two hex digits.
bool decode(const std::string& text, std::string& out, const std::string& keep = {}) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (!escape_at(text, i)) return false;
    const char byte = static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    out += keep.find(byte) != std::string::npos && byte != '\0' ? text.substr(i, 3) : std::string(1, byte);
    i += 2;
  }
  return true;
}

/// URLSearchParams' decoding: `+` is a space, a malformed escape stays as written.
std::string decode_form(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (escape_at(text, i)) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// pg-connection-string's repair of a URL holding a space or a `%` that starts no escape: the
/// whole string through encodeURI, then the escapes of two digits restored.
std::string knex_repair(const std::string& url) {
  static const std::regex needs_repair("( |%[^a-f0-9]|%[a-f0-9][^a-f0-9])", std::regex::icase);
  if (!std::regex_search(url, needs_repair)) return url;
  static const std::string kept = ";,/?:@&=+$-_.!~*'()#";
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : url) {
    if (std::isalnum(c) != 0 || kept.find(static_cast<char>(c)) != std::string::npos) {
      encoded += static_cast<char>(c);
    } else {
      encoded += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  static const std::regex digits_escape("%25([0-9][0-9])");
  return std::regex_replace(encoded, digits_escape, "%$1");
}

/// The WHATWG parser's clean-up of its input: no tab or newline anywhere, no control
/// character or space at either end.
std::string cleaned(const std::string& url) {
  std::string out;
  for (char c : url) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  const auto outside = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  while (!out.empty() && outside(out.back())) out.pop_back();
  std::size_t first = 0;
  while (first < out.size() && outside(out[first])) ++first;
  return out.substr(first);
}

/// The pieces of a URL, still escaped.
struct Pieces {
  bool has_userinfo = false;
  std::string user, password, host, port, path, query;
};

/// Splits `url` as the WHATWG parser splits a URL of a scheme it has no special rules for:
/// the authority ends at the first `/`, `?` or `#`, the user-info at its last `@`, the user
/// name at the user-info's first `:`.
Pieces split(const std::string& url, const std::string& origin) {
  std::string rest = url.substr(url.find("://") + 3);
  const auto fragment = rest.find('#');
  const std::string after_fragment = fragment == std::string::npos ? "" : rest.substr(fragment + 1);
  rest = rest.substr(0, fragment);
  const auto authority_end = rest.find_first_of("/?");
  const std::string authority = rest.substr(0, authority_end);
  const std::string after = authority_end == std::string::npos ? "" : rest.substr(authority_end);
  // A password holding `/`, `?` or `#` ends the authority early: the rest of it, up to its
  // `@`, would be taken for the database or a parameter, and what precedes it for the host.
  if (after.find('@') != std::string::npos || after_fragment.find('@') != std::string::npos) {
    refuse(origin, "an `@` after the host (a password holding `/`, `?` or `#` must be percent-encoded, "
                   "and so must an `@` in the database name or a parameter, as %40)");
  }
  Pieces pieces;
  const auto at = authority.rfind('@');
  std::string host_port = authority;
  if (at != std::string::npos) {
    pieces.has_userinfo = true;
    const std::string userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    pieces.user = userinfo.substr(0, colon);
    if (colon != std::string::npos) pieces.password = userinfo.substr(colon + 1);
    host_port = authority.substr(at + 1);
  }
  std::size_t port_start = host_port.find(':');
  if (!host_port.empty() && host_port[0] == '[') {
    const auto close = host_port.find(']');
    if (close == std::string::npos) refuse(origin, "an IPv6 address without its closing `]`");
    pieces.host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size() && host_port[close + 1] != ':') {
      refuse(origin, "text after the IPv6 address's `]` that is not `:port`");
    }
    port_start = close + 1 < host_port.size() ? close + 1 : std::string::npos;
  } else {
    pieces.host = host_port.substr(0, port_start);
  }
  if (port_start != std::string::npos) pieces.port = host_port.substr(port_start + 1);
  const auto query = after.find('?');
  pieces.path = after.substr(0, query);
  if (query != std::string::npos) pieces.query = after.substr(query + 1);
  return pieces;
}

void check_port(const std::string& port, const std::string& origin) {
  if (port.find_first_not_of("0123456789") != std::string::npos) {
    refuse(origin, "port \"" + port + "\" is not a number (a URL holds one host and port: give several "
                                      "as host=h1,h2 port=p1,p2)");
  }
  if (port.size() > 5 || (!port.empty() && std::stol(port) > 65535)) {
    refuse(origin, "port \"" + port + "\" is not between 1 and 65535");
  }
}

/// The query's parameters as pg-connection-string reads them (the last of a name wins).
std::vector<std::pair<std::string, std::string>> parameters(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> result;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string item = query.substr(start, end - start);
    if (!item.empty()) {
      const auto equals = item.find('=');
      result.emplace_back(decode_form(item.substr(0, equals)),
                          equals == std::string::npos ? "" : decode_form(item.substr(equals + 1)));
    }
    start = end + 1;
  }
  return result;
}

/// The query's parameters into `options`: host, port, user and password there win over the
/// URL's own when not empty; `ssl=true` means sslmode=require, as for libpq.
void add_parameters(const std::string& query, Options& options) {
  for (const auto& [key, value] : parameters(query)) {
    if (key == "ssl" && (value == "true" || value == "1" || value == "0")) {
      if (options.count("sslmode") == 0) options["sslmode"] = value == "0" ? "disable" : "require";
    } else if (key == "host" || key == "port" || key == "user" || key == "password") {
      if (!value.empty()) options[key] = value;
    } else {
      options[key] = value;
    }
  }
}

bool is_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253 || name[0] == '-' || name[0] == '.') return false;
  for (unsigned char c : name) {
    if (std::isalnum(c) == 0 && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

bool is_ipv6(const std::string& address) {
  const std::string bare = address.substr(0, address.find('%'));  // a zone: fe80::1%eth0
  if (bare.find(':') == std::string::npos) return false;
  for (unsigned char c : bare) {
    if (std::isxdigit(c) == 0 && c != ':' && c != '.') return false;
  }
  return address.find('%') == std::string::npos || is_host_name(address.substr(address.find('%') + 1));
}

}  // namespace

bool is_postgres_url(const std::string& text) {
  for (const std::string prefix : {"postgresql://", "postgres://"}) {
    if (text.size() >= prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), text.begin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      return true;
    }
  }
  return false;
}

bool is_host_list(const std::string& host) {
  std::size_t start = 0;
  for (;;) {
    const auto end = host.find(',', start);
    const std::string one = host.substr(start, end == std::string::npos ? end : end - start);
    if (!one.empty() && one[0] != '/' && !is_host_name(one) && !is_ipv6(one)) return false;
    if (end == std::string::npos) return true;
    start = end + 1;
  }
}

std::map<std::string, std::string> parse_postgres_url(const std::string& url, const std::string& origin) {
  const Pieces pieces = split(knex_repair(cleaned(url)), origin);
  check_port(pieces.port, origin);
  static const std::string forbidden_in_host = std::string("<>[]\\^|\"", 8) + std::string(1, '\0');
  if (pieces.host.find_first_of(forbidden_in_host) != std::string::npos) {
    refuse(origin, "the host holds a character a host name cannot hold");
  }
  Options options;
  std::string decoded;
  if (!decode(pieces.user, decoded)) refuse(origin, "the user name is not valid percent-encoding");
  if (!decoded.empty()) options["user"] = decoded;
  if (!decode(pieces.password, decoded)) refuse(origin, "the password is not valid percent-encoding");
  if (!decoded.empty()) options["password"] = decoded;
  if (!decode(pieces.host, decoded)) refuse(origin, "the host is not valid percent-encoding");
  if (!is_host_list(decoded)) {
    refuse(origin, "host \"" + decoded + "\" is not a host name, an IP address or a socket folder");
  }
  if (!decoded.empty()) options["host"] = decoded;
  if (!pieces.port.empty()) options["port"] = pieces.port;
  if (!decode(pieces.path.size() > 1 ? pieces.path.substr(1) : "", decoded, ";/?:@&=+$,#")) {
    refuse(origin, "the database name is not valid percent-encoding");
  }
  if (!decoded.empty()) options["dbname"] = decoded;
  add_parameters(pieces.query, options);
  const bool names_server = options.count("host") + options.count("hostaddr") + options.count("dbname") +
                                options.count("service") >
                            0;
  // `postgres://` alone would silently mean libpq's defaults, not the server meant.
  if (!names_server) refuse(origin, "the URL names no host and no database");
  return options;
}

std::string percent_encode(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return encoded;
}

}  // namespace sonamu::conninfo
