#include "engine/output/rendered_file.hpp"

#include "engine/common/text_file.hpp"

namespace lueng::output {

using result::RunResult;

namespace {

class RenderedFiles final : public Output {
 public:
  explicit RenderedFiles(std::vector<RenderedPath> files) : files_(std::move(files)) {}

  std::string finish(const RunResult& result) override {
    std::string error;
    for (const RenderedPath& file : files_)
      if (!write_text_file(file.path, file.render(result), &error)) return error;
    return "";
  }

 private:
  std::vector<RenderedPath> files_;
};

}  // namespace

std::unique_ptr<Output> open_rendered_files(std::vector<RenderedPath> files, std::string* error) {
  for (const RenderedPath& file : files)
    if (std::string problem = check_writable(file.path); !problem.empty()) {
      *error = problem;
      return nullptr;
    }
  return std::make_unique<RenderedFiles>(std::move(files));
}

std::unique_ptr<Output> open_rendered_file(const std::string& path, RenderResult render,
                                           std::string* error) {
  return open_rendered_files({{path, render}}, error);
}

}  // namespace lueng::output
