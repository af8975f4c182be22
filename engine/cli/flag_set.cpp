#include "engine/cli/flag_set.hpp"

#include <charconv>
#include <cstdio>
#include <system_error>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "engine/cli/commands.hpp"
#include "engine/common/exit_codes.hpp"

namespace lueng::cli {

namespace {

CLI::Option* option_of(void* option) {
  return static_cast<CLI::Option*>(option);
}

// A whole number text from 1 to `max`, or why not. CLI11's PositiveNumber would
// name its range up to the largest double, a number 300 digits long.
std::string check_whole_number(const std::string& text, int64_t max, const char* unit) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  bool digits = !text.empty() && stop == end &&
                (error == std::errc() || error == std::errc::result_out_of_range);
  if (!digits) return fmt::format("'{}' is not a whole number", text);
  if (error == std::errc::result_out_of_range ? text.front() == '-' : value < 1)
    return fmt::format("must be at least 1, not {}", text);
  if (error == std::errc::result_out_of_range || value > max)
    return fmt::format("{} {} is more than lueng allows ({} at most)", text, unit, max);
  return "";
}

// The name of the validator every option's value passes first.
constexpr const char* kNotEmpty = "not empty";

// An option of a value: refuses "" unless may_be_empty() turns this off.
CLI::Option* refuse_empty(CLI::Option* option) {
  bool positional = !option->nonpositional();
  return option->check(CLI::Validator(
      [positional](const std::string& text) -> std::string {
        if (!text.empty()) return "";
        return positional ? "an empty value" : "an empty value; give one, or leave the flag out";
      },
      "", kNotEmpty));
}

}  // namespace

struct FlagSet::App {
  App(const std::string& description, const std::string& name) : cli(description, name) {}
  CLI::App cli;
};

FlagSet::FlagSet(const std::string& description, const std::string& name)
    : app_(std::make_unique<App>(description, name)) {}

FlagSet::~FlagSet() = default;

FlagSet::Flag& FlagSet::Flag::required() {
  option_of(option_)->required();
  return *this;
}

FlagSet::Flag& FlagSet::Flag::one_of(std::initializer_list<const char*> values) {
  option_of(option_)->check(CLI::IsMember(std::vector<std::string>(values.begin(), values.end())));
  return *this;
}

FlagSet::Flag& FlagSet::Flag::whole_number(int64_t max, const char* unit) {
  option_of(option_)->check(
      CLI::Validator([max, unit](std::string& text) { return check_whole_number(text, max, unit); },
                     fmt::format("1..{}", max)));
  return *this;
}

FlagSet::Flag& FlagSet::Flag::on_each(std::function<void()> given) {
  option_of(option_)->each([given = std::move(given)](const std::string&) { given(); });
  return *this;
}

FlagSet::Flag& FlagSet::Flag::may_be_empty() {
  option_of(option_)->get_validator(kNotEmpty)->active(false);
  return *this;
}

FlagSet::Flag FlagSet::option(const std::string& names, std::string& value,
                              const std::string& help) {
  return Flag(refuse_empty(app_->cli.add_option(names, value, help)));
}

FlagSet::Flag FlagSet::option(const std::string& names, int64_t& value, const std::string& help) {
  return Flag(refuse_empty(app_->cli.add_option(names, value, help)));
}

FlagSet::Flag FlagSet::option(const std::string& names, int& value, const std::string& help) {
  return Flag(refuse_empty(app_->cli.add_option(names, value, help)));
}

FlagSet::Flag FlagSet::option(const std::string& names, double& value, const std::string& help) {
  return Flag(refuse_empty(app_->cli.add_option(names, value, help)));
}

FlagSet::Flag FlagSet::option(const std::string& names, std::vector<std::string>& values,
                              const std::string& help) {
  return Flag(refuse_empty(app_->cli.add_option(names, values, help)->allow_extra_args(false)));
}

FlagSet::Flag FlagSet::arguments(const std::string& name, std::vector<std::string>& values,
                                 const std::string& help) {
  // A vector positional takes them all.
  return Flag(refuse_empty(app_->cli.add_option(name, values, help)));
}

FlagSet::Flag FlagSet::flag(const std::string& names, bool& value, const std::string& help) {
  return Flag(app_->cli.add_flag(names, value, help));
}

FlagSet::Flag FlagSet::flag(const std::string& names, std::string& value, const std::string& bare,
                            const std::string& help) {
  return Flag(app_->cli.add_flag(names + "{" + bare + "}", value, help));
}

std::optional<int> FlagSet::parse(const std::vector<std::string>& args,
                                  const std::string& command) {
  try {
    // CLI11 reads `--name=` as `--name` without its value, which then takes the
    // next argument (the script, a result file) as its own: it is `--name ""`.
    std::vector<std::string> split;
    bool positional = false;  // after "--", every argument is one
    for (const std::string& arg : args) {
      positional = positional || arg == "--";
      size_t eq = arg.find('=');
      const CLI::Option* option = nullptr;
      if (!positional && arg.starts_with("--") && eq + 1 == arg.size())
        option = app_->cli.get_option_no_throw(arg.substr(0, eq));
      if (option && option->get_expected_min() > 0) {
        split.push_back(arg.substr(0, eq));
        split.emplace_back();
      } else {
        split.push_back(arg);
      }
    }
    std::vector<std::string> reversed(split.rbegin(), split.rend());  // CLI11 pops from the back
    app_->cli.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    printf("%s", app_->cli.help().c_str());
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    return usage_error(command, error.what());
  }
  return std::nullopt;
}

}  // namespace lueng::cli
