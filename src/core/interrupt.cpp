#include "core/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstring>

namespace sonamu {

namespace {
std::atomic<int> received{0};
std::atomic<bool> acknowledged{false};
}  // namespace

Interrupted::Interrupted(int signal_number, bool at_question)
    : std::runtime_error(std::string("interrupted by ") +
                         (signal_number == SIGINT ? "SIGINT" : signal_number == SIGTERM ? "SIGTERM"
                                                                                         : "a signal")),
      signal_number_(signal_number),
      at_question_(at_question) {
  acknowledged.store(true);
}

void request_interrupt(int signal_number) { received.store(signal_number); }

int interrupt_signal() { return received.load(); }

void throw_if_interrupted() {
  if (const int signal_number = received.load()) throw Interrupted(signal_number);
}

bool interrupt_acknowledged() { return acknowledged.load(); }

void clear_interrupt() {
  received.store(0);
  acknowledged.store(false);
}

}  // namespace sonamu
