// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/common/load_weights.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"

#include <torch/torch.h>

#include <set>
#include <sstream>

namespace unclip::models {
namespace {
std::string shape_str(torch::IntArrayRef s) {
    std::ostringstream o;
    o << "[";
    for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
    o << "]";
    return o.str();
}
// Safetensors' names ("F32", "I64", "BOOL"), which is what a user sees in the file's header.
std::string dtype_str(torch::ScalarType t) {
    try {
        return io::safetensors_dtype_name(t);
    } catch (const ModelError&) {
        return c10::toString(t);
    }
}
bool ends_with(const std::string& s, const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
}  // namespace

void load_weights_strict(torch::nn::Module& module, const io::StateDict& weights, const std::string& what,
                         const LoadOptions& options) {
    torch::NoGradGuard no_grad;
    auto params = module.named_parameters(/*recurse=*/true);
    auto buffers = module.named_buffers(/*recurse=*/true);
    std::vector<std::string> missing, mismatched, wrong_dtype, bad_values;
    std::set<std::string> used;

    auto assign = [&](const std::string& name, torch::Tensor& target) {
        auto it = weights.find(name);
        if (it == weights.end()) {
            missing.push_back(name);
            return;
        }
        used.insert(name);
        const torch::Tensor& src = it->second;
        if (src.sizes() != target.sizes()) {
            mismatched.push_back(name + " (file " + shape_str(src.sizes()) + ", model " + shape_str(target.sizes()) + ")");
            return;
        }
        // Floating weights may come as F16/BF16/F32/F64 (converted below); an integer or bool
        // tensor where a floating one belongs (or the reverse) is a corrupt or foreign file.
        if (src.is_floating_point() != target.is_floating_point() || (src.scalar_type() == torch::kBool) != (target.scalar_type() == torch::kBool)) {
            wrong_dtype.push_back(name + " (file " + dtype_str(src.scalar_type()) + ", model " + dtype_str(target.scalar_type()) + ")");
            return;
        }
        if (src.is_floating_point() && !torch::isfinite(src).all().item<bool>()) {
            bad_values.push_back(name);
            return;
        }
        target.set_data(src.to(target.scalar_type()).clone());
    };
    for (auto& p : params) assign(p.key(), p.value());
    for (auto& b : buffers) assign(b.key(), b.value());

    std::vector<std::string> unexpected;
    for (const auto& [name, t] : weights) {
        if (used.count(name)) continue;
        bool ignored = false;
        for (const auto& suf : options.ignore_unexpected_suffixes) ignored = ignored || ends_with(name, suf);
        if (!ignored) unexpected.push_back(name);
    }

    if (!missing.empty() || !unexpected.empty() || !mismatched.empty() || !wrong_dtype.empty() || !bad_values.empty()) {
        std::ostringstream msg;
        msg << "cannot load " << what << ": the weights do not match the model built from config.json";
        auto list = [&](const char* title, const std::vector<std::string>& items) {
            if (items.empty()) return;
            msg << "\n  " << title << " (" << items.size() << "):";
            size_t shown = 0;
            for (const auto& n : items) {
                if (shown++ == 20) {
                    msg << "\n    ... and " << items.size() - 20 << " more";
                    break;
                }
                msg << "\n    " << n;
            }
        };
        list("missing", missing);
        list("unexpected", unexpected);
        list("wrong shape", mismatched);
        list("wrong dtype", wrong_dtype);
        list("NaN or infinite values", bad_values);
        throw ModelError(msg.str());
    }
    module.to(options.device, options.dtype);
    module.eval();
}

}  // namespace unclip::models
