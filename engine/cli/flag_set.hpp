#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lueng::cli {

// The flags and arguments of one subcommand. A thin front of CLI11, whose header
// only flag_set.cpp includes: it is large and slow to compile, and the commands
// need a handful of its features.
//
// No value may be empty (`--summary-export ""`, `-d "$UNSET"`): a usage error
// naming the flag, rather than the flag silently left out, unless the flag was
// declared may_be_empty() because "" says something (`--stage ""`: no stages).
class FlagSet {
 public:
  // One declared flag or argument, to refine after declaring it.
  class Flag {
   public:
    Flag& required();  // must be given
    Flag& one_of(std::initializer_list<const char*> values);
    Flag& whole_number(int64_t max, const char* unit);  // 1..max, named in errors
    Flag& on_each(std::function<void()> given);         // runs once per occurrence
    Flag& may_be_empty();  // "" is a value of its own, not a usage error

   private:
    friend class FlagSet;
    explicit Flag(void* option) : option_(option) {}
    void* option_;  // the CLI::Option
  };

  FlagSet(const std::string& description, const std::string& name);
  ~FlagSet();
  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // `names`: "-u,--vus" for a flag, a bare word ("script") for a positional argument.
  Flag option(const std::string& names, std::string& value, const std::string& help);
  Flag option(const std::string& names, int64_t& value, const std::string& help);
  Flag option(const std::string& names, int& value, const std::string& help);
  Flag option(const std::string& names, double& value, const std::string& help);
  // Repeatable: each occurrence takes one value.
  Flag option(const std::string& names, std::vector<std::string>& values, const std::string& help);
  // Positional: every argument left, one or more ("RESULT.json...").
  Flag arguments(const std::string& name, std::vector<std::string>& values,
                 const std::string& help);
  Flag flag(const std::string& names, bool& value, const std::string& help);
  // A flag with an optional value, as pflag's NoOptDefVal: `--name` alone sets
  // `bare`, `--name=VALUE` sets VALUE (`--name VALUE` does not take VALUE).
  Flag flag(const std::string& names, std::string& value, const std::string& bare,
            const std::string& help);

  // Parses a subcommand's arguments. Returns an exit status when the command is
  // already done: 0 after printing --help, 104 after a one-line usage error
  // ("lueng <command>: ...").
  std::optional<int> parse(const std::vector<std::string>& args, const std::string& command);

 private:
  struct App;
  std::unique_ptr<App> app_;
};

}  // namespace lueng::cli
