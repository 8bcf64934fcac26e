#pragma once
/// `postgres://` URLs read as knex reads them (through node-postgres' pg-connection-string and
/// the WHATWG URL parser), turned into libpq keywords: libpq's own URL parser splits the
/// user-info at the first `@`, knex at the last, and a password holding `@` would otherwise
/// end up in the host name, in the output and in a DNS query.

#include <map>
#include <string>

namespace sonamu::conninfo {

/// Whether `text` is a URL (`postgres://` or `postgresql://`), not a key=value string.
bool is_postgres_url(const std::string& text);

/// The libpq keywords of `url` (host, port, user, password, dbname and the query's
/// parameters). Throws sonamu::Error (usage) naming `origin` for a URL knex would not read the
/// same way or that names no server; the message never holds any part of the user-info.
std::map<std::string, std::string> parse_postgres_url(const std::string& url, const std::string& origin);

/// `value` percent-encoded for any part of a URL: every byte but letters, digits and `-._~`.
/// The one encoding of a `${VAR}` substituted into a URL.
std::string percent_encode(const std::string& value);

/// Whether `host` (one libpq host, or a comma-separated list) can name a server: a socket
/// folder (an absolute path), an IP address or a host name. Anything else is never looked up.
bool is_host_list(const std::string& host);

}  // namespace sonamu::conninfo
