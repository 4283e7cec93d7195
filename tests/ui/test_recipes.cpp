// SPDX-License-Identifier: GPL-3.0-or-later
// Recipes come back as parameters: every mode's recipe maps onto the Prompt panel, a PNG exported
// with its recipe re-opens and re-runs to the same pixels (golden tiny model), and history steps
// keep their recipes.
#include "tests/ui/golden_editor.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/recipe.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QUndoStack>
#include <QtTest>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace {
QJsonObject json(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }
}  // namespace

class TestRecipes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void everyModeMapsOntoParameters() {
        const QString sampling = R"("sampling": {"seed": 42, "prior_steps": 11, "decoder_steps": 12,
                                   "super_res_steps": 3, "prior_guidance": 2.5, "decoder_guidance": 6})";
        auto withSampling = [&](const QString& body) {
            return QJsonDocument::fromJson(QStringLiteral("{%1, %2}").arg(body, sampling).toUtf8()).object();
        };
        auto t2i = paramsFromRecipe(withSampling(
            R"("mode": "text2img", "prompts": ["a red apple"], "negative_prompt": "blurry", "images_per_prompt": 3)"));
        QVERIFY(t2i);
        QCOMPARE(t2i->mode, Mode::TextToImage);
        QCOMPARE(t2i->prompt, QStringLiteral("a red apple"));
        QCOMPARE(t2i->negativePrompt, QStringLiteral("blurry"));
        QCOMPARE(t2i->batch, 3);
        QCOMPARE(t2i->sampling.seed, quint64(42));
        QCOMPARE(t2i->sampling.prior_steps, 11);
        QCOMPARE(t2i->sampling.decoder_steps, 12);
        QCOMPARE(t2i->sampling.super_res_steps, 3);
        QCOMPARE(t2i->sampling.prior_guidance, 2.5);
        QCOMPARE(t2i->sampling.decoder_guidance, 6.0);
        auto inpaint = paramsFromRecipe(withSampling(R"("mode": "inpaint", "prompt": "a hat", "feather": 4, "num_images": 2)"));
        QVERIFY(inpaint);
        QCOMPARE(inpaint->mode, Mode::Inpaint);
        QCOMPARE(inpaint->prompt, QStringLiteral("a hat"));
        QCOMPARE(inpaint->feather, 4.0);
        QCOMPARE(inpaint->batch, 2);
        auto diff = paramsFromRecipe(withSampling(R"("mode": "textdiff", "description": "a cat", "target": "a dog", "theta": 0.7)"));
        QVERIFY(diff);
        QCOMPARE(diff->mode, Mode::TextDiff);
        QCOMPARE(diff->prompt, QStringLiteral("a cat"));
        QCOMPARE(diff->target, QStringLiteral("a dog"));
        QCOMPARE(diff->theta, 0.7);
        auto interp = paramsFromRecipe(withSampling(R"("mode": "interpolate", "b_text": "a dog", "positions": [0, 0.5, 1])"));
        QVERIFY(interp);
        QCOMPARE(interp->mode, Mode::Interpolation);
        QCOMPARE(interp->batch, 3);
        auto vary = paramsFromRecipe(withSampling(R"("mode": "variation", "num_images": 4)"));
        QVERIFY(vary);
        QCOMPARE(vary->mode, Mode::Variation);
        QCOMPARE(vary->batch, 4);
        QVERIFY(recipeTitle(withSampling(R"("mode": "text2img", "prompts": ["a red apple"])")).contains("a red apple"));
        // What cannot be re-run says why.
        QString why;
        QVERIFY(!paramsFromRecipe(json(R"({"mode": "sketch"})"), &why));
        QVERIFY(why.contains("sketch"));
        QVERIFY(!paramsFromRecipe(json(R"({"mode": "text2img", "sampling": {"decoder_steps": 0}})"), &why));
    }

    void anExportedPngReopensAndReRunsToTheSamePixels() {
        const QString model = goldenTextToImageModel();
        if (model.isEmpty()) QSKIP("golden model not found");
        QTemporaryDir tmp;
        GoldenEditor editor(model);
        MainWindow& w = editor.window;
        QString error;
        GenerationParams p = fastParams(Mode::TextToImage, "a small red square", 7);
        editor.generate(p);
        QVERIFY2(editor.waitForResults(1, &error), qPrintable(error));
        w.resultsPanel()->applyCurrent();
        const QImage generated = w.document()->image().copy();
        // The history step carries the recipe.
        const QJsonObject stepRecipe = recipeOf(w.document()->undoStack()->command(w.document()->undoStack()->count() - 1));
        QCOMPARE(stepRecipe.value("mode").toString(), QStringLiteral("text2img"));
        const QString png = tmp.filePath("apple.png");
        QVERIFY(w.exportPngTo(png));

        // Another prompt in the panel, then open the PNG and re-run its recipe.
        p.prompt = "something else";
        p.sampling.seed = 99;
        w.promptPanel()->setParams(p);
        QVERIFY(w.openFile(png));
        QCOMPARE(w.document()->recipes().size(), 1);
        w.action("rerunRecipe")->trigger();
        QCOMPARE(w.promptPanel()->params().prompt, QStringLiteral("a small red square"));
        QCOMPARE(w.promptPanel()->params().sampling.seed, quint64(7));
        QVERIFY(w.promptPanel()->seedLocked());
        QVERIFY2(editor.waitForResults(2, &error), qPrintable(error));
        QVERIFY(samePixels(w.resultsPanel()->result(1).image, generated));
    }

    void aPictureWithoutRecipesSaysSo() {
        MainWindow w;
        w.setAskBeforeDiscarding(false);
        const int before = w.resultsPanel()->count();
        w.action("rerunRecipe")->trigger();
        QVERIFY(!w.inference()->isBusy());
        QCOMPARE(w.resultsPanel()->count(), before);
    }
};

QTEST_MAIN(TestRecipes)
#include "test_recipes.moc"
