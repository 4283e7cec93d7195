// SPDX-License-Identifier: GPL-3.0-or-later
// The editor on Kandinsky 2.2 (the golden tiny folders): Settings take the prior, decoder and
// inpainting-decoder folders (checked for family and role, kept across a restart); the Prompt dock
// follows the family (its steps and guidance, an output size, no super-resolution); every mode runs
// through the editor and gives exactly the pixels core's UnclipPipeline gives for the same request;
// the size controls set the picture's size; a missing inpainting folder greys out Inpaint with the
// reason; recipes name the family.
#include "tests/ui/ui_test_support.h"
#include "ui/canvas/canvas.h"
#include "ui/canvas/frametool.h"
#include "ui/common/qtcv.h"
#include "ui/document/document.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/recipe.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include "core/common/torch_setup.h"
#include "core/imaging/tensor_convert.h"
#include "core/pipeline/unclip_pipeline.h"
#include "ui/inference/jobrunner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QUndoStack>
#include <QSettings>
#include <QtTest>

#include <memory>

using namespace unclip::ui;
using unclip::pipeline::Mode;
using namespace unclip::test;

namespace pl = unclip::pipeline;

namespace {

QString kandinskyFolder(const char* name) { return kandinskyGoldenDir() + "/models/" + name; }

QImage opaqueRandom(const QSize& size, quint32 seed) {
    QImage img = randomImage(size, QImage::Format_RGBA8888, seed);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) img.setPixel(x, y, img.pixel(x, y) | 0xff000000u);
    return img;
}

void setMask(Document* doc, const QRect& r) {
    QImage& m = doc->layerForWriting(Layer::Mask);
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) m.scanLine(y)[x] = 255;
    doc->notifyChanged(Layer::Mask, r);
}

// Whether the form row of `field` is shown (QFormLayout hides label and field together).
bool formRowShown(QWidget* field) {
    auto* form = qobject_cast<QFormLayout*>(field->parentWidget() ? field->parentWidget()->layout() : nullptr);
    return form ? form->isRowVisible(field) : !field->isHidden();
}

// What the editor hands the pipeline, built the way jobrunner.cpp builds it from the same inputs.
pl::Sampling samplingOf(const GenerationParams& p, bool withSize) {
    pl::Sampling s = p.sampling;
    if (!withSize) s.width = s.height = 0;
    return s;
}

torch::Tensor imageTensor(const QImage& image) {
    return unclip::imaging::image_to_tensor(constMatView(toDocumentImage(image)));
}

QImage firstImage(const pl::Result& r) {
    return toQImage(unclip::imaging::batch_to_images(r.images).at(0));
}

}  // namespace

class TestKandinskyEditor : public QObject {
    Q_OBJECT

    std::unique_ptr<InferenceController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QString m_summary;
    std::unique_ptr<pl::UnclipPipeline> m_core;  // the same folders, loaded by the test itself

    PromptPanel* prompt() const { return m_window->promptPanel(); }
    ResultsPanel* results() const { return m_window->resultsPanel(); }
    Document* doc() const { return m_window->document(); }

    // The Prompt dock as the user leaves it, with few steps (the golden model is random: only the
    // plumbing is under test), then Generate; returns the new result.
    bool generate(GenerationParams p, GenerationResult* out, QString* error) {
        p.sampling.prior_steps = 2;
        p.sampling.decoder_steps = 3;
        prompt()->setParams(p);
        prompt()->setSeedLocked(true);
        const int before = results()->count();
        m_window->action("generate")->trigger();
        if (!QTest::qWaitFor([&] { return results()->count() > before || m_window->lastMessageBox(); }, 120000)) {
            *error = "timed out";
            return false;
        }
        if (m_window->lastMessageBox() && results()->count() == before) {
            *error = m_window->lastMessageBox()->text();
            return false;
        }
        *out = results()->result(results()->count() - 1);
        return true;
    }

    // Sets the size controls as a user does (the spin boxes).
    void setSize(int width, int height) {
        auto* w = prompt()->findChild<QSpinBox*>("outputWidth");
        auto* h = prompt()->findChild<QSpinBox*>("outputHeight");
        QVERIFY(w && h);
        w->setValue(width);
        h->setValue(height);
    }

private Q_SLOTS:
    void initTestCase() {
        isolateSettings();
        for (const char* f : {"kandinsky-2-2-prior", "kandinsky-2-2-decoder", "kandinsky-2-2-decoder-inpaint"})
            if (!QFileInfo::exists(kandinskyFolder(f) + "/model_index.json")) QSKIP("Kandinsky golden models not found");
    }

    // The user's way in: Settings > the three folders, one thread. The check names each folder's
    // family and role; the settings are there again after a restart.
    void settingsTakeTheThreeFoldersAndKeepThem() {
        {
            SettingsDialog d;
            d.load();
            auto* model = d.findChild<QLineEdit*>("modelDir");
            auto* decoder = d.findChild<QLineEdit*>("decoderDir");
            auto* inpaint = d.findChild<QLineEdit*>("inpaintDir");
            auto* offload = d.findChild<QCheckBox*>("sequentialOffload");
            auto* threads = d.findChild<QSpinBox*>("threads");
            auto* check = d.findChild<QLabel*>("modelDirCheck");
            QVERIFY(model && decoder && inpaint && offload && threads && check);
            model->setText(kandinskyFolder("kandinsky-2-2-prior"));
            decoder->setText(kandinskyFolder("kandinsky-2-2-decoder"));
            inpaint->setText(kandinskyFolder("kandinsky-2-2-decoder-inpaint"));
            threads->setValue(1);
            // Checked once the typing pauses.
            QTRY_VERIFY2(check->text().contains("Kandinsky"), qPrintable(check->text()));
            QVERIFY2(d.modelDirOk(), qPrintable(check->text()));
            QVERIFY2(check->text().contains("Kandinsky 2.2 prior"), qPrintable(check->text()));
            QVERIFY2(check->text().contains("Kandinsky 2.2 decoder"), qPrintable(check->text()));
            QVERIFY2(check->text().contains("Kandinsky 2.2 inpainting decoder"), qPrintable(check->text()));
            // Offload is Kandinsky's: enabled now.
            QVERIFY(offload->isEnabled());
            offload->setChecked(true);
            d.save();
        }
        // A restart reads them back (a new settings object, a new dialog).
        const ModelSettings s = settings::modelSettings();
        QCOMPARE(s.modelDir, kandinskyFolder("kandinsky-2-2-prior"));
        QCOMPARE(s.decoderDir, kandinskyFolder("kandinsky-2-2-decoder"));
        QCOMPARE(s.inpaintDir, kandinskyFolder("kandinsky-2-2-decoder-inpaint"));
        QVERIFY(s.offload);
        QCOMPARE(s.threads, 1);
        SettingsDialog again;
        again.load();
        QVERIFY(again.modelSettings() == s);
        QCOMPARE(again.findChild<QLineEdit*>("decoderDir")->text(), kandinskyFolder("kandinsky-2-2-decoder"));
        QVERIFY(again.findChild<QCheckBox*>("sequentialOffload")->isChecked());
        // The editor below loads with offload on (on the CPU it moves nothing); the test's own
        // pipeline loads without it: the pixels must agree all the same.
    }

    void foldersOfTwoFamiliesAreAnError() {
        SettingsDialog d;
        d.load();
        auto* check = d.findChild<QLabel*>("modelDirCheck");
        auto* offload = d.findChild<QCheckBox*>("sequentialOffload");
        // A Karlo model with a Kandinsky decoder: named as two families.
        const QString karlo = goldenDir() + "/models/unclip-text2img";
        if (QFileInfo::exists(karlo + "/model_index.json")) {
            d.findChild<QLineEdit*>("modelDir")->setText(karlo);
            d.checkModelDir();
            QVERIFY(!d.modelDirOk());
            QVERIFY2(check->text().contains("different model families"), qPrintable(check->text()));
            QVERIFY2(check->text().contains("Karlo") && check->text().contains("Kandinsky 2.2"), qPrintable(check->text()));
            // Karlo alone: no offload, and the Kandinsky rows are greyed out while empty.
            d.findChild<QLineEdit*>("decoderDir")->clear();
            d.findChild<QLineEdit*>("inpaintDir")->clear();
            d.checkModelDir();
            QVERIFY2(d.modelDirOk(), qPrintable(check->text()));
            QVERIFY2(check->text().contains("Karlo"), qPrintable(check->text()));
            QVERIFY(!offload->isEnabled());
            QVERIFY(!d.findChild<QLineEdit*>("decoderDir")->isEnabled());
        }
        // The same part twice: the decoder as the inpainting decoder too.
        d.findChild<QLineEdit*>("modelDir")->setText(kandinskyFolder("kandinsky-2-2-prior"));
        d.findChild<QLineEdit*>("decoderDir")->setText(kandinskyFolder("kandinsky-2-2-decoder"));
        d.findChild<QLineEdit*>("inpaintDir")->setText(kandinskyFolder("kandinsky-2-2-decoder"));
        d.checkModelDir();
        QVERIFY(!d.modelDirOk());
        QVERIFY2(check->text().contains("same Kandinsky 2.2 part"), qPrintable(check->text()));
        // No inpainting decoder: usable, and the check says what that costs.
        d.findChild<QLineEdit*>("inpaintDir")->clear();
        d.checkModelDir();
        QVERIFY2(d.modelDirOk(), qPrintable(check->text()));
        QVERIFY2(check->text().contains("Inpaint is unavailable"), qPrintable(check->text()));
        QVERIFY(offload->isEnabled());
    }

    // The window starts on the saved settings and loads the three folders.
    void theEditorLoadsKandinsky() {
        m_controller = std::make_unique<InferenceController>();
        m_window = std::make_unique<MainWindow>(m_controller.get());
        m_window->setAskBeforeDiscarding(false);
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Before the model loads, its family and sizes are known from the folders' config files.
        QCOMPARE(prompt()->family(), QString::fromLatin1(kKandinskyFamily));
        const GenerationParams before = prompt()->params();
        const ModelInfo infoBefore = prompt()->modelInfo();
        QCOMPARE(before.sampling.decoder_steps, pl::default_sampling(pl::ModelFamily::Kandinsky22).decoder_steps);
        QSignalSpy loaded(m_controller.get(), &InferenceController::modelLoaded);
        QSignalSpy info(m_controller.get(), &InferenceController::modelInfo);
        m_controller->loadModel();
        QVERIFY(info.wait(60000) || !info.isEmpty());
        QCoreApplication::processEvents();
        QVERIFY(!loaded.isEmpty());
        m_summary = loaded.at(0).at(0).toString();
        const ModelSettings s = settings::modelSettings();
        pl::PipelineOptions o;
        o.model_dir = s.modelDir.toStdString();
        o.decoder_dir = s.decoderDir.toStdString();
        o.inpaint_dir = s.inpaintDir.toStdString();
        unclip::configure_threads(s.threads);  // as the editor's backend runs: the same sums, the same pixels
        m_core = pl::UnclipPipeline::load(o);
        QCOMPARE(m_core->family(), pl::ModelFamily::Kandinsky22);
        QCOMPARE(before.sampling.width, m_core->image_size());
        QCOMPARE(before.sampling.height, m_core->image_size());
        pl::Sampling one;
        one.width = one.height = 1;
        QCOMPARE(infoBefore.sizeStep, m_core->output_size(one).first);
        QCOMPARE(prompt()->modelInfo().sizeStep, infoBefore.sizeStep);
        QCOMPARE(prompt()->modelInfo().imageSize, infoBefore.imageSize);
    }

    void theSummaryNamesTheFamily() {
        if (!m_core) QSKIP("no model");
        const QString expected = QStringLiteral("Kandinsky 2.2: %1 px; ").arg(m_core->image_size());
        QVERIFY2(m_summary.startsWith(expected), qPrintable(m_summary));
        for (Mode m : {Mode::TextToImage, Mode::Inpaint, Mode::Variation,
                                 Mode::Interpolation, Mode::TextDiff})
            QVERIFY2(m_summary.contains(modeDisplayName(m)), qPrintable(m_summary));
        // And it stays in view in the status bar.
        auto* label = m_window->findChild<QLabel*>("modelLabel");
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Kandinsky 2.2, %1 px").arg(m_core->image_size()));
        QCOMPARE(label->toolTip(), m_summary);
    }

    // The dock follows the family: its defaults, the size, no super-resolution.
    void thePromptDockFollowsTheFamily() {
        if (!m_core) QSKIP("no model");
        const pl::Sampling d = pl::default_sampling(pl::ModelFamily::Kandinsky22);
        QCOMPARE(prompt()->family(), QString::fromLatin1(kKandinskyFamily));
        GenerationParams p = prompt()->params();
        QCOMPARE(p.sampling.prior_steps, d.prior_steps);
        QCOMPARE(p.sampling.decoder_steps, d.decoder_steps);
        QCOMPARE(p.sampling.prior_guidance, double(d.prior_guidance));
        QCOMPARE(p.sampling.decoder_guidance, double(d.decoder_guidance));
        QCOMPARE(p.family, QString::fromLatin1(kKandinskyFamily));
        // The size: the model's own, in its steps, shown for the modes that draw a picture.
        auto* w = prompt()->findChild<QSpinBox*>("outputWidth");
        auto* h = prompt()->findChild<QSpinBox*>("outputHeight");
        QVERIFY(w && h);
        QCOMPARE(w->value(), m_core->image_size());
        QCOMPARE(h->value(), m_core->image_size());
        pl::Sampling one;
        one.width = one.height = 1;
        QCOMPARE(w->singleStep(), m_core->output_size(one).first);
        QCOMPARE(p.sampling.width, m_core->image_size());
        prompt()->setMode(Mode::TextToImage);
        QVERIFY(formRowShown(prompt()->findChild<QWidget*>("outputSize")));
        prompt()->setMode(Mode::Inpaint);  // drawn at the frame's model size
        QVERIFY(!formRowShown(prompt()->findChild<QWidget*>("outputSize")));
        prompt()->setMode(Mode::TextToImage);
        // No super-resolution: no quick candidates (even when ticked before), no super-res steps.
        auto* quick = prompt()->findChild<QCheckBox*>("quickCandidates");
        QVERIFY(quick);
        quick->setChecked(true);
        QVERIFY(quick->isHidden());
        QVERIFY(!prompt()->params().quickCandidates);
        auto* superRes = prompt()->findChild<QSpinBox*>("superResSteps");
        QVERIFY(superRes);
        QVERIFY(!formRowShown(superRes));
        QVERIFY(formRowShown(prompt()->findChild<QSpinBox*>("decoderSteps")));
        quick->setChecked(false);

        // A value changed in this session stays across a reload of the same family; another
        // family brings its own defaults, and coming back brings the changed value back.
        GenerationParams changed = prompt()->params();
        changed.sampling.decoder_steps = 42;
        prompt()->setParams(changed);
        const ModelInfo kandinsky = prompt()->modelInfo();
        prompt()->setModelInfo(kandinsky);
        QCOMPARE(prompt()->params().sampling.decoder_steps, 42);
        prompt()->setModelInfo(familyModelInfo(kKarloFamily, 256, 0));
        QCOMPARE(prompt()->params().sampling.decoder_steps, 25);
        QCOMPARE(prompt()->params().sampling.decoder_guidance, 8.0);
        QCOMPARE(prompt()->params().sampling.width, 0);  // Karlo draws at its size
        QVERIFY(!formRowShown(prompt()->findChild<QWidget*>("outputSize")));
        QVERIFY(!quick->isHidden());
        QVERIFY(formRowShown(superRes));
        prompt()->setModelInfo(kandinsky);
        QCOMPARE(prompt()->params().sampling.decoder_steps, 42);
        QVERIFY(formRowShown(prompt()->findChild<QWidget*>("outputSize")));
    }

    // Text -> image at 64 x 128 (the tiny model's sizes are multiples of 16 px): a new picture of
    // that size, the pipeline's pixels; the recipe names the family and the size.
    void textToImageAtAChosenSize() {
        if (!m_core) QSKIP("no model");
        doc()->reset(opaqueRandom(QSize(100, 80), 1));
        setSize(64, 128);
        GenerationParams p = prompt()->params();
        p.mode = Mode::TextToImage;
        p.prompt = "a red cube";
        p.sampling.seed = 11;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        QCOMPARE(r.image.size(), QSize(64, 128));
        QCOMPARE(r.params.sampling.width, 64);
        QCOMPARE(r.params.sampling.height, 128);
        pl::TextToImageRequest req;
        req.prompts = {"a red cube"};
        req.sampling = samplingOf(r.params, true);
        const QImage expected = firstImage(m_core->text_to_image(req));
        QVERIFY(samePixels(toDocumentImage(r.image), toDocumentImage(expected)));
        // The recipe: the family, the size drawn; re-run from it keeps both.
        QCOMPARE(r.recipe.value("family").toString(), QString::fromLatin1(kKandinskyFamily));
        QCOMPARE(r.recipe.value("sampling").toObject().value("width").toInt(), 64);
        QCOMPARE(r.recipe.value("sampling").toObject().value("height").toInt(), 128);
        const auto again = paramsFromRecipe(r.recipe);
        QVERIFY(again);
        QCOMPARE(again->family, QString::fromLatin1(kKandinskyFamily));
        QCOMPARE(again->sampling.width, 64);
        QCOMPARE(again->sampling.height, 128);
        // Apply: the picture becomes the 64 x 128 result, one undo step.
        const int steps = doc()->undoStack()->count();
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        QCOMPARE(doc()->undoStack()->count(), steps + 1);
        QCOMPARE(doc()->size(), QSize(64, 128));
        QVERIFY(samePixels(doc()->image(), toDocumentImage(expected)));
        // The History dock's recipe too.
        QCOMPARE(doc()->recipes().last().toObject().value("family").toString(), QString::fromLatin1(kKandinskyFamily));
    }

    // Into a placed (square) frame: drawn at the frame's shape, put there unstretched.
    void textToImageIntoAFrame() {
        if (!m_core) QSKIP("no model");
        const int s = m_core->image_size();
        const QImage original = opaqueRandom(QSize(4 * s, 3 * s), 2);
        doc()->reset(original);
        const QRect frame(s, s / 2, 2 * s, 2 * s);
        doc()->setGenerationFrame(frame);
        setSize(s, 2 * s);
        GenerationParams p = prompt()->params();
        p.mode = Mode::TextToImage;
        p.prompt = "a green cone";
        p.sampling.seed = 12;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        QCOMPARE(r.params.frame, frame);
        QCOMPARE(r.image.size(), QSize(2 * s, 2 * s));  // the frame's shape, the longer side asked for
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        QCOMPARE(doc()->size(), original.size());
        for (int y = 0; y < original.height(); ++y)
            for (int x = 0; x < original.width(); ++x)
                if (!frame.contains(x, y)) QCOMPARE(doc()->image().pixel(x, y), original.pixel(x, y));
        QVERIFY(samePixels(doc()->image().copy(frame), toDocumentImage(r.image)));
        doc()->setGenerationFrame(QRect());
    }

    void variations() {
        if (!m_core) QSKIP("no model");
        const int s = m_core->image_size();
        doc()->reset(opaqueRandom(QSize(s + 16, s), 3));
        setSize(s, s);
        GenerationParams p = prompt()->params();
        p.mode = Mode::Variation;
        p.sampling.seed = 13;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        pl::VariationRequest req;
        req.image = imageTensor(doc()->image());
        req.sampling = samplingOf(r.params, true);
        const QImage expected = firstImage(m_core->variations(req));
        QCOMPARE(r.image.size(), QSize(s, s));
        QVERIFY(samePixels(toDocumentImage(r.image), toDocumentImage(expected)));
        QCOMPARE(r.recipe.value("family").toString(), QString::fromLatin1(kKandinskyFamily));
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        QVERIFY(samePixels(doc()->image(), toDocumentImage(expected)));
    }

    void interpolation() {
        if (!m_core) QSKIP("no model");
        const int s = m_core->image_size();
        doc()->reset(opaqueRandom(QSize(s, s), 4));
        setSize(s, s + 16);
        GenerationParams p = prompt()->params();
        p.mode = Mode::Interpolation;
        p.target = "a blue ball";
        p.sampling.seed = 14;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        pl::InterpolationRequest req;
        req.a.image = imageTensor(doc()->image());
        req.b.text = "a blue ball";
        req.positions = {0.5f};
        req.smooth = true;
        req.sampling = samplingOf(r.params, true);
        const QImage expected = firstImage(m_core->interpolate(req));
        QCOMPARE(r.image.size(), QSize(s, s + 16));
        QVERIFY(samePixels(toDocumentImage(r.image), toDocumentImage(expected)));
        QCOMPARE(r.recipe.value("family").toString(), QString::fromLatin1(kKandinskyFamily));
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        QVERIFY(samePixels(doc()->image(), toDocumentImage(expected)));
    }

    void textDiff() {
        if (!m_core) QSKIP("no model");
        const int s = m_core->image_size();
        doc()->reset(opaqueRandom(QSize(s, s), 5));
        setSize(s, s);
        GenerationParams p = prompt()->params();
        p.mode = Mode::TextDiff;
        p.prompt = "a red cube";
        p.target = "a blue cube";
        p.theta = 0.6;
        p.sampling.seed = 15;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        pl::TextDiffRequest req;
        req.image = imageTensor(doc()->image());
        req.description = "a red cube";
        req.target = "a blue cube";
        req.theta = float(r.params.theta);
        req.sampling = samplingOf(r.params, true);
        const QImage expected = firstImage(m_core->text_diff(req));
        QVERIFY(samePixels(toDocumentImage(r.image), toDocumentImage(expected)));
        QCOMPARE(r.recipe.value("family").toString(), QString::fromLatin1(kKandinskyFamily));
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        QVERIFY(samePixels(doc()->image(), toDocumentImage(expected)));
    }

    // Inpaint in a placed frame, drawn at the model's size as with Karlo: the pipeline's pixels,
    // only the masked ones change.
    void inpaintInAFrame() {
        if (!m_core) QSKIP("no model");
        const int s = m_core->image_size();
        QCOMPARE(m_window->canvas()->frameTool()->modelSize(), s);
        const QImage original = opaqueRandom(QSize(4 * s, 3 * s), 6);
        doc()->reset(original);
        const QRect hole(2 * s, s, s / 2, s / 2);
        setMask(doc(), hole);
        const QRect frame(hole.x() - s / 4, hole.y() - s / 4, s, s);
        doc()->setGenerationFrame(frame);
        setSize(2 * s, s);  // not used by Inpaint
        GenerationParams p = prompt()->params();
        p.mode = Mode::Inpaint;
        p.prompt = "a red hat";
        p.feather = 0;
        p.sampling.seed = 16;
        GenerationResult r;
        QString error;
        QVERIFY2(generate(p, &r, &error), qPrintable(error));
        QCOMPARE(r.image.size(), QSize(s, s));
        QCOMPARE(frameFromRecipe(r.recipe), frame);
        pl::InpaintRequest req;
        req.image = imageTensor(original);
        req.mask = unclip::imaging::mask_to_tensor(constMatView(toDocumentMask(r.mask)));
        req.prompt = "a red hat";
        req.feather = 0;
        req.frame = pl::Frame{frame.x(), frame.y(), frame.width(), frame.height()};
        req.context = r.params.frameContext;
        req.sampling = samplingOf(r.params, false);
        const QImage expected = firstImage(m_core->inpaint(req));
        QVERIFY(samePixels(toDocumentImage(r.image), toDocumentImage(expected)));
        QCOMPARE(r.recipe.value("family").toString(), QString::fromLatin1(kKandinskyFamily));
        results()->setCurrentIndex(results()->count() - 1);
        results()->applyCurrent();
        const QImage& now = doc()->image();
        for (int y = 0; y < now.height(); ++y)
            for (int x = 0; x < now.width(); ++x) {
                if (!hole.contains(x, y)) {
                    if (now.pixel(x, y) != original.pixel(x, y)) QFAIL(qPrintable(QString("pixel %1,%2 outside the mask changed").arg(x).arg(y)));
                } else {
                    QCOMPARE(now.pixel(x, y), toDocumentImage(expected).pixel(x - frame.x(), y - frame.y()));
                }
            }
        doc()->setGenerationFrame(QRect());
    }

    // Without the inpainting folder: Inpaint is greyed out and says what to set.
    void aMissingInpaintingFolderGreysOutInpaint() {
        if (!m_core) QSKIP("no model");
        ModelSettings s = settings::modelSettings();
        s.inpaintDir.clear();
        m_controller->setModelSettings(s);
        QSignalSpy unavailable(m_controller.get(), &InferenceController::modesUnavailable);
        m_controller->loadModel();
        QVERIFY(unavailable.wait(60000) || !unavailable.isEmpty());
        QCoreApplication::processEvents();
        QVERIFY(!prompt()->isModeAvailable(Mode::Inpaint));
        for (Mode m : {Mode::TextToImage, Mode::Variation, Mode::Interpolation,
                                 Mode::TextDiff})
            QVERIFY(prompt()->isModeAvailable(m));
        auto* mode = prompt()->findChild<QComboBox*>("mode");
        QVERIFY(mode);
        const QString why = mode->itemData(mode->findData(int(Mode::Inpaint)), Qt::ToolTipRole).toString();
        QVERIFY2(why.contains("kandinsky-2-2-decoder-inpaint") && why.contains("Inpainting decoder folder"), qPrintable(why));
        // The values stay: the same family loaded again.
        QCOMPARE(prompt()->family(), QString::fromLatin1(kKandinskyFamily));
    }


    // The model loads before the first job: the dock knows the family from the folders before
    // that (the first job already has the family's steps), and after a restart it shows the
    // last model's size controls at once.
    void theFamilyIsKnownBeforeTheModelLoads() {
        if (!m_core) QSKIP("no model");
        setSize(m_core->image_size(), m_core->image_size() + 16);
        {
            QSettings().remove("prompt");  // a first start on these settings
            InferenceController controller;
            MainWindow w(&controller);
            w.setAskBeforeDiscarding(false);
            QCOMPARE(w.promptPanel()->family(), QString::fromLatin1(kKandinskyFamily));
            QCOMPARE(w.promptPanel()->params().sampling.decoder_steps, pl::default_sampling(pl::ModelFamily::Kandinsky22).decoder_steps);
            QCOMPARE(w.promptPanel()->params().sampling.width, m_core->image_size());  // from the decoder's config files
        }
        m_window->promptPanel()->saveState();
        {
            InferenceController controller;
            MainWindow w(&controller);
            w.setAskBeforeDiscarding(false);
            QCOMPARE(w.promptPanel()->family(), QString::fromLatin1(kKandinskyFamily));
            QVERIFY(formRowShown(w.promptPanel()->findChild<QWidget*>("outputSize")) ||
                    w.promptPanel()->mode() == Mode::Inpaint);
            QCOMPARE(w.promptPanel()->params().sampling.width, m_core->image_size());
            QCOMPARE(w.promptPanel()->params().sampling.height, m_core->image_size() + 16);
            QVERIFY(!w.promptPanel()->params().quickCandidates);
        }
    }

    void cleanupTestCase() {
        m_window.reset();
        m_controller.reset();
    }
};

QTEST_MAIN(TestKandinskyEditor)
#include "test_kandinsky_editor.moc"
