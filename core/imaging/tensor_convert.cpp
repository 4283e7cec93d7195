// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/tensor_convert.h"

#include "core/imaging/image_error.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cstring>

namespace unclip::imaging {

torch::Tensor image_to_tensor(const cv::Mat& image) {
    if (image.type() != CV_8UC4 && image.type() != CV_8UC3)
        throw ImageError("image_to_tensor: expected 8-bit RGB or RGBA");
    cv::Mat rgb;
    if (image.channels() == 4) cv::cvtColor(image, rgb, cv::COLOR_RGBA2RGB);
    else rgb = image.isContinuous() ? image : image.clone();
    torch::Tensor t = torch::empty({rgb.rows, rgb.cols, 3}, torch::kUInt8);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(t.data_ptr<uint8_t>() + size_t(y) * rgb.cols * 3, rgb.ptr<uint8_t>(y), size_t(rgb.cols) * 3);
    return t;
}

torch::Tensor mask_to_tensor(const cv::Mat& mask) {
    if (mask.type() != CV_8UC1) throw ImageError("mask_to_tensor: expected an 8-bit single-channel mask");
    torch::Tensor t = torch::empty({mask.rows, mask.cols}, torch::kUInt8);
    for (int y = 0; y < mask.rows; ++y)
        std::memcpy(t.data_ptr<uint8_t>() + size_t(y) * mask.cols, mask.ptr<uint8_t>(y), size_t(mask.cols));
    return t.to(torch::kFloat32).div_(255.0f);
}

namespace {

torch::Tensor to_uint8_hwc(torch::Tensor t) {
    t = t.detach().to(torch::kCPU);
    if (t.dim() == 4) {
        if (t.size(0) != 1) throw ImageError("tensor_to_image: expected a single image, got a batch");
        t = t[0];
    }
    if (t.dim() != 3) throw ImageError("tensor_to_image: expected 3 dimensions");
    if (t.scalar_type() == torch::kUInt8) {
        if (t.size(2) != 3) throw ImageError("tensor_to_image: uint8 tensors must be [H, W, 3]");
        return t.contiguous();
    }
    if (!t.is_floating_point() || t.size(0) != 3) throw ImageError("tensor_to_image: float tensors must be [3, H, W]");
    return t.to(torch::kFloat32).clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
}

}  // namespace

cv::Mat tensor_to_image(const torch::Tensor& tensor) {
    const torch::Tensor t = to_uint8_hwc(tensor);
    const int h = int(t.size(0)), w = int(t.size(1));
    cv::Mat rgb(h, w, CV_8UC3, const_cast<uint8_t*>(t.data_ptr<uint8_t>()));
    cv::Mat rgba;
    cv::cvtColor(rgb, rgba, cv::COLOR_RGB2RGBA);  // copies out of the tensor
    return rgba;
}

std::vector<cv::Mat> batch_to_images(const torch::Tensor& images) {
    if (images.dim() != 4) throw ImageError("batch_to_images: expected [N, 3, H, W]");
    std::vector<cv::Mat> out;
    for (int64_t i = 0; i < images.size(0); ++i) out.push_back(tensor_to_image(images[i]));
    return out;
}

cv::Mat tensor_to_mask(const torch::Tensor& mask) {
    if (mask.dim() != 2) throw ImageError("tensor_to_mask: expected [H, W]");
    torch::Tensor t = mask.detach().to(torch::kCPU).to(torch::kFloat32).clamp(0.0, 1.0).mul(255.0).round()
                          .to(torch::kUInt8).contiguous();
    cv::Mat view(int(t.size(0)), int(t.size(1)), CV_8UC1, t.data_ptr<uint8_t>());
    return view.clone();
}

}  // namespace unclip::imaging
