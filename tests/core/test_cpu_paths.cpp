// SPDX-License-Identifier: GPL-3.0-or-later
// The CPU speed paths (issue #22): channels-last UNets, oneDNN 1x1 convolutions, in-place SiLU, the
// channels-last upsampling and concatenation copies and the heap reuse during runs give the
// reference's results within the golden tolerances, and keep the layout callers see.
#include "core/common/heap_reuse.h"
#include "core/io/model_folder.h"
#include "core/models/registry/model_registry.h"
#include "core/models/unet/channels_last.h"
#include "core/models/unet/cpu_kernels.h"
#include "core/verify/verify_unet.h"
#include "tests/support/golden.h"
#include "tests/support/process_stats.h"

#include <torch/torch.h>

#include <iostream>

#if defined(__unix__)
#include <sys/resource.h>
#endif

using namespace unclip;
using namespace unclip::models;

namespace {

verify::VerifyOptions options() {
    verify::VerifyOptions o;
    o.golden_dir = test::golden_dir();
    return o;
}

models::LoadOptions cpu_float32() {
    models::LoadOptions lo;
    lo.device = torch::kCPU;
    lo.dtype = torch::kFloat32;
    return lo;
}

void print_rows(const std::vector<verify::ParityResult>& rows) {
    for (const auto& r : rows)
        std::cerr << "    channels-last " << r.check << ": max abs error " << r.max_abs_error << " (tolerance "
                  << r.tolerance << ")\n";
}

// The call prefix of a component in a case ("super_res_first" -> "first"; one component -> "").
std::string prefix_of(const CaseModels& m, const std::string& component) {
    if (m.components.size() == 1) return "";
    return component.substr(component.rfind('_') + 1);
}

int64_t page_faults() {
#if defined(__unix__)
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt + r.ru_majflt;
#else
    return 0;
#endif
}

}  // namespace

// Every UNet of `case_name`'s folder, channels-last, against the case's recorded calls through
// `check` (verify's check_*_unet_calls); at least one row must be compared.
template <class Model, class Check>
void expect_channels_last_parity(const std::string& case_name, Check check) {
    const verify::GoldenCase c = test::load_case(case_name);
    const CaseModels m = case_models(c);
    const io::ModelFolder folder(m.folder);
    size_t rows_seen = 0;
    for (const auto& component : m.components) {
        auto model = load_model_as<Model>(folder, component, cpu_float32());
        model->use_channels_last(true);
        EXPECT(model->conv_in->weight.is_contiguous(torch::MemoryFormat::ChannelsLast));
        c10::InferenceMode guard;
        auto rows = check(model, c, options(), prefix_of(m, component));
        print_rows(rows);
        EXPECT_PARITY(rows);
        rows_seen += rows.size();
    }
    EXPECT(rows_seen > 0);
}

TEST_CASE("channels-last decoder UNet matches the reference on every recorded call") {
    expect_channels_last_parity<UNet2DConditionModel>("decoder_unet", [](auto&&... a) { return check_decoder_unet_calls(a...); });
}

TEST_CASE("channels-last super-res UNets match the reference on every recorded call") {
    expect_channels_last_parity<UNet2DModel>("super_res_unet", [](auto&&... a) { return check_super_res_unet_calls(a...); });
}

TEST_CASE("a channels-last UNet returns what the standard layout returns, as a contiguous NCHW tensor") {
    const io::ModelFolder folder(test::golden_path("models/unclip-text2img"));
    auto plain = load_model_as<UNet2DModel>(folder, "super_res_first", cpu_float32());
    auto fast = load_model_as<UNet2DModel>(folder, "super_res_first", cpu_float32());
    fast->use_channels_last(true);
    const int64_t in = plain->config().in_channels;
    const int64_t side = 4 * (int64_t{1} << plain->config().block_out_channels.size());
    torch::manual_seed(3);
    const torch::Tensor x = torch::randn({2, in, side, side});
    const torch::Tensor t = torch::tensor(int64_t{411});
    c10::InferenceMode guard;
    const torch::Tensor a = plain->forward(x, t), b = fast->forward(x, t);
    EXPECT(b.is_contiguous());
    EXPECT_EQ(b.sizes().vec(), a.sizes().vec());
    EXPECT_CLOSE(b, a, 1e-4, 1e-4);
    // Back to the standard layout: the weights are contiguous again and the results as before.
    fast->use_channels_last(false);
    EXPECT(fast->conv_in->weight.is_contiguous());
    EXPECT(torch::equal(fast->forward(x, t), a));
    // The parameters keep their values whatever the layout (saving makes tensors contiguous).
    fast->use_channels_last(true);
    const auto reference = plain->named_parameters();
    for (const auto& item : fast->named_parameters())
        EXPECT(torch::equal(item.value().contiguous(), reference[item.key()]));
}

TEST_CASE("1x1 convolutions through oneDNN give the plain call's values, and only where it pays") {
    torch::manual_seed(5);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(12, 5, 1));
    torch::nn::Conv2d conv3(torch::nn::Conv2dOptions(12, 5, 3).padding(1));
    const torch::Tensor x = torch::randn({2, 12, 9, 7});
    const torch::Tensor xcl = x.contiguous(torch::MemoryFormat::ChannelsLast);
    {
        c10::InferenceMode guard;
        const torch::Tensor ref = conv(x);
        EXPECT_CLOSE(conv1x1(conv, xcl), ref, 1e-5, 1e-5);
        EXPECT(torch::equal(conv1x1(conv, x), ref));            // NCHW input: the plain call
        EXPECT(torch::equal(conv1x1(conv3, xcl), conv3(xcl)));  // not a 1x1 kernel: the plain call
    }
    // With a gradient wanted: the plain (differentiable) call, and the gradient flows.
    const torch::Tensor y = conv1x1(conv, xcl);
    EXPECT(y.requires_grad());
    y.sum().backward();
    EXPECT(conv->weight.grad().defined());
}

TEST_CASE("nearest x2 upsampling and the channel concatenation are the plain calls' values, bit for bit, in either layout") {
    namespace F = torch::nn::functional;
    torch::manual_seed(7);
    c10::InferenceMode guard;
    for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
        const torch::Tensor x = torch::randn({2, 5, 3, 4}).contiguous(format);
        const torch::Tensor y = torch::randn({2, 3, 3, 4}).contiguous(format);
        const torch::Tensor up = upsample_nearest_x2(x);
        const torch::Tensor ref =
            F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
        EXPECT(up.sizes() == ref.sizes() && torch::equal(up, ref));
        EXPECT(up.is_contiguous(format));  // the layout the next convolution expects
        const torch::Tensor cat = cat_channels(x, y);
        EXPECT(torch::equal(cat, torch::cat({x, y}, 1)));
        EXPECT(cat.is_contiguous(format));
    }
    // Mixed layouts: the plain concatenation.
    const torch::Tensor a = torch::randn({1, 2, 3, 3});
    const torch::Tensor b = torch::randn({1, 4, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    EXPECT(torch::equal(cat_channels(a, b), torch::cat({a, b}, 1)));
}

TEST_CASE("silu_temp overwrites its argument only when no gradient is wanted") {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({3, 4});
    {
        c10::InferenceMode guard;
        torch::Tensor tmp = x.clone();
        const torch::Tensor y = silu_temp(tmp);
        EXPECT(torch::equal(y, torch::silu(x)));
        EXPECT(y.data_ptr() == tmp.data_ptr());
    }
    torch::Tensor w = torch::ones({4}, torch::requires_grad());
    torch::Tensor tmp = x * w;
    const torch::Tensor y = silu_temp(tmp);
    EXPECT(y.data_ptr() != tmp.data_ptr());
    y.sum().backward();
    EXPECT(w.grad().defined());
}

TEST_CASE("during a run, freed activation buffers are reused without faulting their pages in again") {
    const int64_t floats = 2 << 20;  // 8 MiB, a super-res activation
    auto touch = [&] {
        torch::Tensor t = torch::empty({floats});
        t.fill_(1.0f);
        return t.sum().item<float>();
    };
    HeapReuse outer;
    {
        HeapReuse nested;  // nests
        (void)touch();
    }
    const int64_t before = page_faults();
    for (int i = 0; i < 8; ++i) (void)touch();
    const int64_t faults = page_faults() - before;
    std::cerr << "    8 x 8 MiB allocate, fill, free inside a run: " << faults << " page faults\n";
#if defined(__GLIBC__) && !defined(UNCLIP_SANITIZER_HEAP)
    // Without the reuse each round faults its 2048 pages in again (16,000 in all). A sanitizer's
    // malloc quarantines freed blocks, so there every round gets fresh pages whatever we do.
    EXPECT(faults < 1000);
#endif
}

UNCLIP_TEST_MAIN()
