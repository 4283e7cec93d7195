// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where a pipeline subcommand runs: in this process on the model folders, or with --server URL on
// an `unclip serve` (core/server/client.h). The same request gives the same pictures either way;
// progress, Ctrl+C and the files written are the same.
#include "app/cli/args.h"
#include "app/cli/pipeline_options.h"
#include "core/server/client.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace unclip::cli {

class Backend {
public:
    // Loads the pipeline (checking `needed`), or with --server connects to the server and checks it
    // can run `kind` (request_kinds()). Throws RequestError / ModelError / ServerError naming what is wrong.
    Backend(const Args& args, const CommonOptions& options, const std::string& command, const std::string& kind,
            const std::vector<std::string>& needed);
    ~Backend();

    pipeline::Result run(const pipeline::AnyRequest& request);  // with the progress bar and Ctrl+C
    torch::Tensor score(const std::vector<torch::Tensor>& images, const std::vector<std::string>& texts);
    int image_size() const;
    bool remote() const { return client_ != nullptr; }

    static std::set<std::string> option_names();  // --server, --token
    static std::string help();                    // their help lines

private:
    std::unique_ptr<pipeline::UnclipPipeline> pipeline_;
    std::unique_ptr<server::Client> client_;
    int image_size_ = 0;
};

}  // namespace unclip::cli
