// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/jobhandle.h"

namespace unclip::ui {

JobHandle::JobHandle(GenerationJob job, QObject* parent) : QObject(parent), m_job(std::move(job)) {}

void JobHandle::cancel() const { requestCancel(m_job.cancel); }

}  // namespace unclip::ui
