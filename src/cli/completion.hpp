#pragma once
/// `sonamu completion bash|zsh`: shell completion generated from the command definitions.

#include <CLI/CLI.hpp>

#include <string>

namespace sonamu::cli {

/// The completion script for `shell` ("bash" or "zsh"); empty for another shell.
std::string completion_script(const std::string& shell, const CLI::App& app);

}  // namespace sonamu::cli
