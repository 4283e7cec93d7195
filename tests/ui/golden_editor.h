// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An editor window driving the golden tiny text->image model on one CPU thread: the set-up the
// end-to-end editor tests share.
#include "tests/ui/ui_test_support.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QtTest>

namespace unclip::test {

// The golden text->image folder, or "" when the golden data is not there.
inline QString goldenTextToImageModel() {
    const QString dir = goldenDir() + "/models/unclip-text2img";
    return QFileInfo::exists(dir + "/model_index.json") ? dir : QString();
}

// The size of the golden text->image model's pictures: super_res_first's sample_size (the pipeline's
// output size), read from the folder rather than assumed; an empty size when it cannot be read.
inline QSize goldenImageSize() {
    QFile f(goldenDir() + "/models/unclip-text2img/super_res_first/config.json");
    if (!f.open(QIODevice::ReadOnly)) return {};
    const int side = QJsonDocument::fromJson(f.readAll()).object().value("sample_size").toInt();
    return side > 0 ? QSize(side, side) : QSize();
}

// Few steps: the golden model is random, only the plumbing is under test.
inline ui::GenerationParams fastParams(pipeline::Mode mode, const QString& prompt, quint64 seed) {
    ui::GenerationParams p;
    p.mode = mode;
    p.prompt = prompt;
    p.sampling.seed = seed;
    p.sampling.prior_steps = 2;
    p.sampling.decoder_steps = 2;
    p.sampling.super_res_steps = 2;
    p.feather = 0;
    return p;
}

struct GoldenEditor {
    ui::InferenceController controller;
    ui::MainWindow window{&controller};

    explicit GoldenEditor(const QString& modelDir) {
        window.setAskBeforeDiscarding(false);
        ui::ModelSettings s;
        s.modelDir = modelDir;
        s.threads = 1;
        controller.setModelSettings(s);  // after the window: it applies the saved settings
    }

    // The Prompt panel takes `p` (seed locked), then Generate is pressed.
    void generate(const ui::GenerationParams& p) {
        window.promptPanel()->setParams(p);
        window.promptPanel()->setSeedLocked(true);
        window.action("generate")->trigger();
    }

    // Waits until the Results dock holds `count` results. False, with the message, when an error
    // box appeared instead (or on time-out).
    bool waitForResults(int count, QString* error) {
        QTest::qWaitFor([&] { return window.resultsPanel()->count() >= count || window.lastMessageBox(); }, 120000);
        if (window.lastMessageBox()) {
            *error = window.lastMessageBox()->text();
            return false;
        }
        *error = QStringLiteral("timed out with %1 results").arg(window.resultsPanel()->count());
        return window.resultsPanel()->count() >= count;
    }
};

}  // namespace unclip::test
