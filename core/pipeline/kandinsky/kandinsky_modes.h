// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The editor's modes on Kandinsky 2.2: the same requests as Karlo's (requests.h), run through the
// Kandinsky stages. UnclipPipeline dispatches here when the loaded folders are Kandinsky 2.2.
#include "core/pipeline/pipeline_impl.h"

#include <utility>

namespace unclip::pipeline::kandinsky {

using Impl = UnclipPipeline::Impl;

// The model's own picture side: the decoder UNet's sample_size x the MoVQ factor (512 for the
// released model; the inpainting decoder's when only that folder is loaded).
int default_size(const Impl& p);
// {width, height} a request's sampling gives: 0 -> default_size, then rounded up as the reference rounds.
std::pair<int, int> output_size(const Impl& p, const Sampling& s);

Result text_to_image(Impl& p, const TextToImageRequest& r, const RunControl& control);
// Plain variations: the picture's image embedding into the decoder (negative: the zero-image
// embedding). structure_strength > 0 starts from the picture itself through img2img with
// strength 1 - structure_strength (at least one step), so the layout survives.
Result variations(Impl& p, const VariationRequest& r, const RunControl& control);
// smooth: slerp between the endpoints' embeddings with one decoder noise for every frame;
// otherwise the reference's weighted mix (1 - t) e_a + t e_b with the generator's draws per frame.
Result interpolate(Impl& p, const InterpolationRequest& r, const RunControl& control);
// DALL-E 2's text diff in the ViT-bigG embedding space: the picture's embedding slerped toward the
// normalised text difference, decoded from the picture's DDIM-inverted latents (its layout kept).
Result text_diff(Impl& p, const TextDiffRequest& r, const RunControl& control);
// The reference's interpolate(): texts through the prior (one generator, in item order, then the
// prior run on "" whose zero-image embeds are the negative), pictures through the image encoder;
// the weighted sum decoded with the same generator.
Result mix(Impl& p, const MixRequest& r, const RunControl& control);

// Inpainting of a generation frame's crop (editing.cpp frames and composites): the crop resized to
// the request's square model size, the inpainting decoder, pictures [N, 3, S, S] in [0, 1].
struct CropResult {
    torch::Tensor images;
    torch::Tensor image_embeds;
};
CropResult inpaint_crop(Impl& p, const InpaintRequest& r, const torch::Tensor& image, const torch::Tensor& mask,
                        const RunControl& control);

}  // namespace unclip::pipeline::kandinsky
