// A connection that goes away while it is being set up: a loopback TCP relay in front of the
// test server's Unix socket cuts the connection at a chosen point (a real network fault in
// front of the real server, not an imitation of PostgreSQL). Wherever it is cut, the tool
// says one thing: cannot connect (exit 3), in one plain line without libpq's or libpqxx's
// internals, and the database is untouched.
#include "e2e.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace sonamu::test;

namespace {

/// Where the relay cuts the connection.
enum class Cut {
  on_accept,            ///< before a byte is read: the client's start-up packet goes nowhere
  after_startup_packet, ///< the start-up packet reached the server, its answer does not reach the client
  after_ready,          ///< the server said ReadyForQuery: start-up is done, the first statement fails
};

/// How long the relay waits for any one event before it gives up (the test then fails on the
/// tool's outcome, never hangs).
constexpr int relay_poll_ms = 30000;

class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() { reset(); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, relay_poll_ms) == 1;
}

/// Reads exactly `size` bytes; false on end of stream or timeout.
bool read_exactly(int fd, char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    if (!readable(fd)) return false;
    const ssize_t n = ::read(fd, buffer + done, size - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool write_all(int fd, const char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, buffer + done, size - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::uint32_t big_endian(const char* bytes) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes, 4);
  return ntohl(value);
}

/// A one-connection relay on 127.0.0.1 to the test server's socket, cutting at `cut`.
class CuttingRelay {
 public:
  explicit CuttingRelay(Cut cut) : cut_(cut), listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_.get(), 1) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error(std::string("relay: cannot listen: ") + std::strerror(errno));
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CuttingRelay() { thread_.join(); }
  CuttingRelay(const CuttingRelay&) = delete;
  CuttingRelay& operator=(const CuttingRelay&) = delete;

  int port() const { return port_; }
  /// Whether the cut happened where it was asked for (checked after the tool ended).
  bool cut_as_asked() const { return cut_done_; }

 private:
  void serve() {
    if (!readable(listener_.get())) return;
    Descriptor client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    listener_.reset();
    if (client.get() < 0) return;
    if (cut_ == Cut::on_accept) {
      cut_done_ = true;
      return;
    }
    Descriptor server(connect_to_server());
    if (server.get() < 0) return;
    // The client's start-up packet: a 4-byte length (itself included), then the rest.
    char header[4];
    if (!read_exactly(client.get(), header, 4)) return;
    std::string packet(header, 4);
    packet.resize(big_endian(header));
    if (packet.size() < 8 || !read_exactly(client.get(), packet.data() + 4, packet.size() - 4)) return;
    if (!write_all(server.get(), packet.data(), packet.size())) return;
    if (cut_ == Cut::after_startup_packet) {
      // The server got it; wait for its first answer, then drop everything.
      cut_done_ = readable(server.get());
      return;
    }
    // Relay the server's messages (type byte, 4-byte length) up to and including the first
    // ReadyForQuery ('Z'); trust authentication needs nothing from the client meanwhile.
    for (;;) {
      char head[5];
      if (!read_exactly(server.get(), head, 5)) return;
      std::string message(head, 5);
      message.resize(1 + big_endian(head + 1));
      if (message.size() < 5 || !read_exactly(server.get(), message.data() + 5, message.size() - 5)) return;
      if (!write_all(client.get(), message.data(), message.size())) return;
      if (head[0] == 'Z') {
        cut_done_ = true;
        return;
      }
    }
  }

  static int connect_to_server() {
    const char* host = std::getenv("PGHOST");
    const char* port = std::getenv("PGPORT");
    const std::string path = std::string(host != nullptr && *host == '/' ? host : "/var/run/postgresql") +
                             "/.s.PGSQL." + (port != nullptr && *port != '\0' ? port : "5432");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  Cut cut_;
  Descriptor listener_;
  int port_ = 0;
  std::atomic<bool> cut_done_{false};
  std::thread thread_;
};

/// `sonamu migrate <command>` through a relay cutting at `cut`; checks the one line it prints.
void check_cut(const TestDatabase& db, Cut cut, const std::string& command) {
  CuttingRelay relay(cut);
  const std::string target = "127.0.0.1:" + std::to_string(relay.port()) + "/" + db.name();
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(relay.port()) + " dbname=" + db.name() +
                               " sslmode=disable gssencmode=disable connect_timeout=10";
  const auto result = run_migrate(ProcessSpec{{SONAMU_BINARY, "migrate", command, "-c", conninfo},
                                              empty_directory(),
                                              {{"DATABASE_URL", std::nullopt}}});
  INFO(command << ", cut " << static_cast<int>(cut) << ": " << result.err);
  CHECK(relay.cut_as_asked());
  CHECK(result.exit_code == 3);
  CHECK(result.err == "Error: Cannot connect to PostgreSQL at " + target + ": the server closed the connection\n");
  CHECK(result.out.empty());
}

}  // namespace

TEST_CASE("a connection cut while it is set up: exit 3, one plain line, wherever it is cut") {
  TestDatabase db;
  for (const std::string command : {"status", "run", "history"}) {
    for (const Cut cut : {Cut::on_accept, Cut::after_startup_packet, Cut::after_ready}) check_cut(db, cut, command);
  }
  CHECK(recorded(db) == "<no table>");
}
