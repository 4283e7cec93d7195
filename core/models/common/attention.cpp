// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/common/attention.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <atomic>
#include <cmath>

namespace unclip::models {
namespace {
std::atomic<AttentionBackend> g_backend{AttentionBackend::Auto};
}

void set_attention_backend(AttentionBackend b) { g_backend = b; }
AttentionBackend attention_backend() { return g_backend; }

bool fused_attention_available() {
#if TORCH_VERSION_MAJOR >= 2
    return true;
#else
    return false;
#endif
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& bias) {
#if TORCH_VERSION_MAJOR >= 2
    if (g_backend == AttentionBackend::Auto) {
        // No optional<> spelled out: c10::optional became std::optional during 2.x.
        if (bias.defined()) return at::scaled_dot_product_attention(q, k, v, bias.to(q.scalar_type()), 0.0, false);
        return at::scaled_dot_product_attention(q, k, v, {}, 0.0, false);
    }
#endif
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    torch::Tensor scores = torch::matmul(q, k.transpose(-1, -2)) * scale;
    if (bias.defined()) scores = scores + bias.to(scores.scalar_type());
    // Softmax in float32 for half precision inputs, as the fused kernels do.
    torch::Tensor probs = torch::softmax(scores.to(torch::kFloat32), -1).to(q.scalar_type());
    return torch::matmul(probs, v);
}

torch::Tensor split_heads(const torch::Tensor& x, int64_t heads) {
    const int64_t b = x.size(0), l = x.size(1), c = x.size(2);
    return x.view({b, l, heads, c / heads}).transpose(1, 2);
}

torch::Tensor merge_heads(const torch::Tensor& x) {
    const int64_t b = x.size(0), h = x.size(1), l = x.size(2), d = x.size(3);
    return x.transpose(1, 2).reshape({b, l, h * d});
}

}  // namespace unclip::models
