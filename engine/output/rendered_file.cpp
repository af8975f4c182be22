#include "engine/output/rendered_file.hpp"

#include "engine/common/text_file.hpp"

namespace lueng::output {

namespace {

class RenderedFile final : public Output {
 public:
  RenderedFile(std::string path, RenderResult render) : path_(std::move(path)), render_(render) {}

  std::string finish(const RunResult& result) override {
    std::string error;
    if (!write_text_file(path_, render_(result), &error)) return error;
    return "";
  }

 private:
  std::string path_;
  RenderResult render_;
};

}  // namespace

std::unique_ptr<Output> open_rendered_file(const std::string& path, RenderResult render,
                                           std::string* error) {
  if (std::string problem = check_writable(path); !problem.empty()) {
    *error = problem;
    return nullptr;
  }
  return std::make_unique<RenderedFile>(path, render);
}

}  // namespace lueng::output
