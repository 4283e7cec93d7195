// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/interpolationpanel.h"

#include "core/imaging/gif_writer.h"
#include "core/imaging/image_error.h"
#include "core/imaging/signature.h"
#include "core/imaging/video_writer.h"
#include "ui/common/qtcv.h"
#include "ui/common/retranslator.h"
#include "ui/fileformats/documentio.h"
#include "ui/panels/imageslot.h"
#include "ui/settings/appsettings.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
constexpr int kFrameView = 192;
constexpr int kStrip = 40;

// Frames as the imaging layer wants them, with the optional signature.
std::vector<cv::Mat> exportMats(const QList<QImage>& frames) {
    std::vector<cv::Mat> mats;
    const bool sign = settings::exportSignature();
    for (const QImage& f : frames) {
        cv::Mat m = constMatView(toDocumentImage(f)).clone();
        if (sign) imaging::stamp_signature(m);
        mats.push_back(m);
    }
    return mats;
}
}  // namespace

InterpolationPanel::InterpolationPanel(const PanelContext& context, QWidget* parent)
    : EmbeddingPanel(context, QStringLiteral("interpolation"), parent) {
    setObjectName("interpolationPanel");
    auto* rt = new Retranslator(this);
    rt->windowTitle(this, QT_TR_NOOP("Interpolation"));
    auto* layout = new QVBoxLayout(this);
    auto* slotRow = new QHBoxLayout;
    m_a = new ImageSlot(context, true, this);
    m_a->setObjectName("slotA");
    m_b = new ImageSlot(context, true, this);
    m_b->setObjectName("slotB");
    rt->add([this] {
        m_a->setTitle(tr("A"));
        m_b->setTitle(tr("B"));
    });
    slotRow->addWidget(m_a);
    slotRow->addWidget(m_b);
    layout->addLayout(slotRow);

    auto* row = new QHBoxLayout;
    m_frames = new QSpinBox(this);
    m_frames->setObjectName("frames");
    m_frames->setRange(2, 64);
    m_frames->setValue(8);
    m_smooth = new QCheckBox(this);
    m_smooth->setObjectName("smooth");
    m_smooth->setChecked(true);
    rt->text(m_smooth, QT_TR_NOOP("Sm&ooth"));
    rt->toolTip(m_smooth, QT_TR_NOOP("Share the noise across frames: a position always gives the same frame"));
    row->addWidget(rt->label(QT_TR_NOOP("Frame&s:"), this, m_frames));
    row->addWidget(m_frames);
    row->addWidget(rt->label(QT_TR_NOOP("See&d:"), this, seedBox()));
    row->addWidget(seedBox());
    row->addWidget(m_smooth);
    row->addStretch(1);
    layout->addLayout(row);
    m_render = new QPushButton(this);
    m_render->setObjectName("renderButton");
    rt->text(m_render, QT_TR_NOOP("Re&nder frames"));
    rt->toolTip(m_render, QT_TR_NOOP("Render the frames from A to B in the background"));
    layout->addWidget(m_render);
    layout->addWidget(progressRow());
    layout->addWidget(noteLabel());

    m_view = new QLabel(this);
    m_view->setObjectName("frameView");
    m_view->setFixedSize(kFrameView, kFrameView);
    m_view->setAlignment(Qt::AlignCenter);
    m_view->setFrameShape(QFrame::StyledPanel);
    m_caption = new QLabel(this);
    m_caption->setObjectName("frameCaption");
    m_caption->setAlignment(Qt::AlignCenter);
    auto* viewRow = new QHBoxLayout;
    viewRow->addStretch(1);
    viewRow->addWidget(m_view);
    viewRow->addStretch(1);
    layout->addLayout(viewRow);
    layout->addWidget(m_caption);
    m_strip = new QLabel(this);
    m_strip->setObjectName("filmStrip");
    m_strip->setAlignment(Qt::AlignCenter);
    m_strip->setMinimumHeight(kStrip + 8);
    layout->addWidget(m_strip);

    auto* sliderRow = new QHBoxLayout;
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("positionSlider");
    m_slider->setRange(0, kSliderUnits);
    m_slider->setSingleStep(10);
    m_slider->setTickPosition(QSlider::TicksBelow);
    rt->toolTip(m_slider, QT_TR_NOOP("Drag to scrub through the rendered frames; release between frames (or use the "
                                     "arrow keys) to render that exact position"));
    sliderRow->addWidget(rt->label(QT_TR_NOOP("&Position:"), this, m_slider));
    sliderRow->addWidget(m_slider, 1);
    layout->addLayout(sliderRow);

    auto* buttons = new QHBoxLayout;
    m_apply = new QPushButton(this);
    m_apply->setObjectName("applyButton");
    rt->text(m_apply, QT_TR_NOOP("Appl&y frame"));
    rt->toolTip(m_apply, QT_TR_NOOP("Put the frame on display into the picture (one undo step)"));
    m_export = new QPushButton(this);
    m_export->setObjectName("exportButton");
    rt->text(m_export, QT_TR_NOOP("E&xport"));
    m_exportMenu = new QMenu(this);
    m_exportGif = m_exportMenu->addAction(QString(), this, &InterpolationPanel::exportGifDialog);
    m_exportVideo = m_exportMenu->addAction(QString(), this, &InterpolationPanel::exportVideoDialog);
    m_exportPngs = m_exportMenu->addAction(QString(), this, &InterpolationPanel::exportPngFramesDialog);
    m_exportMenu->addSeparator();
    m_exportFrame = m_exportMenu->addAction(QString(), this, &InterpolationPanel::exportFrameDialog);
    rt->text(m_exportGif, QT_TR_NOOP("Animated &GIF…"));
    rt->text(m_exportVideo, QT_TR_NOOP("&Video…"));
    rt->text(m_exportPngs, QT_TR_NOOP("&PNG frames…"));
    rt->text(m_exportFrame, QT_TR_NOOP("&This frame as PNG…"));
    m_export->setMenu(m_exportMenu);
    m_fps = new QSpinBox(this);
    m_fps->setObjectName("fps");
    m_fps->setRange(1, 60);
    m_fps->setValue(8);
    buttons->addWidget(m_apply);
    buttons->addWidget(m_export);
    buttons->addWidget(rt->label(QT_TR_NOOP("fps:"), this, m_fps));
    buttons->addWidget(m_fps);
    layout->addLayout(buttons);
    layout->addStretch(1);

    connect(m_render, &QPushButton::clicked, this, &InterpolationPanel::renderFrames);
    connect(m_apply, &QPushButton::clicked, this, &InterpolationPanel::applyFrame);
    connect(m_slider, &QSlider::valueChanged, this, &InterpolationPanel::onSliderValue);
    connect(m_slider, &QSlider::sliderReleased, this, [this] { showExact(m_slider->value()); });
    for (ImageSlot* s : {m_a, m_b}) {
        connect(s, &ImageSlot::changed, this, &InterpolationPanel::updateButtons);
        connect(s, &ImageSlot::message, this, &EmbeddingPanel::message);
    }
    connect(this, &EmbeddingPanel::workingChanged, this, &InterpolationPanel::updateButtons);
    // The caption says which position is on display: made again from that state.
    rt->add([this] {
        if (m_shownPosition >= 0) display(m_shownPosition, m_shownExact);
        else m_caption->setText(tr("Render frames to scrub through them"));
        updateRenderView();
    });
    updateButtons();
}

void InterpolationPanel::setFrameCount(int frames) { m_frames->setValue(frames); }
int InterpolationPanel::frameCount() const { return m_frames->value(); }

void InterpolationPanel::renderFrames() {
    for (ImageSlot* s : {m_a, m_b})
        if (s->isEmpty()) {
            Q_EMIT message(tr("Give slot %1 an image or a text first").arg(s->title()));
            return;
        }
    prepareSeed();
    GenerationJob job;
    job.params = baseParams(pipeline::Mode::Interpolation);
    job.image = m_a->image();
    job.embedding.textA = m_a->text();
    job.embedding.imageB = m_b->image();
    job.params.target = m_b->text();
    job.embedding.smooth = m_smooth->isChecked();
    m_template = job;
    m_haveTemplate = true;
    // A new render: forget the old frames and ignore every job still coming for them.
    m_cache.clear();
    m_strip->clear();
    m_exactJobs.clear();
    m_scoreJob = 0;
    m_similarity = {};
    Q_EMIT similarityChanged();
    m_sequence.clear();
    const int n = m_frames->value();
    for (int i = 0; i < n; ++i) {
        const int pos = qRound(double(i) * kSliderUnits / double(n - 1));
        m_sequence.append(pos);
        job.embedding.positions.append(double(pos) / kSliderUnits);
    }
    job.params.batch = n;
    m_slider->setPageStep(std::max(1, kSliderUnits / (n - 1)));
    m_slider->setTickInterval(std::max(1, kSliderUnits / (n - 1)));
    m_sequenceJob = submit(job);
    ++m_runs;
    // The old frames are gone: the view follows the new render from its first report on.
    m_view->clear();
    m_previewShown = false;
    updateRenderView();
    updateButtons();
}

void InterpolationPanel::requestExact(int value) {
    if (!m_haveTemplate) return;
    for (auto it = m_exactJobs.cbegin(); it != m_exactJobs.cend(); ++it)
        if (it.value() == value) return;  // already on its way
    GenerationJob job = m_template;
    job.cancel = makeCancelHandle();  // its own flag: cancelling one render must not cancel later ones
    job.embedding.positions = {double(value) / kSliderUnits};
    job.params.batch = 1;
    m_exactJobs.insert(submit(job), value);
    ++m_runs;
}

int InterpolationPanel::renderingPosition() const {
    const int job = renderJobOnDisplay();
    if (!job) return -1;
    return job == m_sequenceJob ? 0 : m_exactJobs.value(job, -1);
}

int InterpolationPanel::renderJobOnDisplay() const {
    if (m_sequenceJob && m_cache.isEmpty()) return m_sequenceJob;
    if (m_slider->isSliderDown()) return 0;  // scrubbing: the cached frames only
    for (auto it = m_exactJobs.cbegin(); it != m_exactJobs.cend(); ++it)
        if (it.value() == m_slider->value()) return it.key();
    return 0;
}

void InterpolationPanel::jobProgress(int id, const ProgressUpdate& update) {
    if (id != m_sequenceJob && !m_exactJobs.contains(id)) return;
    ProgressUpdate& state = m_progressOf[id];
    state.stage = update.stage;
    state.step = update.step;
    state.total = update.total;
    if (!update.preview.isNull()) {
        m_previewJob = id;
        m_preview = update.preview;  // shared, not converted: that happens when it is painted
        m_previewShown = false;
    }
    if (isVisible()) updateRenderView();
}

void InterpolationPanel::showEvent(QShowEvent* event) {
    EmbeddingPanel::showEvent(event);
    updateRenderView();  // what arrived while the dock was hidden
}

void InterpolationPanel::updateRenderView() {
    const int job = renderJobOnDisplay();
    if (!job) return;
    const QString progress = progressText(m_progressOf.value(job));
    if (job == m_sequenceJob && m_cache.isEmpty()) {
        m_caption->setText(tr("Rendering %n frame(s)… %1", nullptr, int(m_sequence.size())).arg(progress));
    } else {
        // The nearest frame stays on display until the render's first preview replaces it.
        m_caption->setText(tr("Position %1: rendering this frame… %2")
                               .arg(QLocale().toString(double(m_exactJobs.value(job)) / kSliderUnits, 'f', 3))
                               .arg(progress));
    }
    if (!m_previewShown && m_previewJob == job && !m_preview.isNull() && isVisible()) {
        m_view->setPixmap(thumbnailPixmap(m_preview, kFrameView - 4));
        m_previewShown = true;
    }
}

void InterpolationPanel::jobFinished(const GenerationJob& job, const GenerationOutput& output) {
    if (job.id == m_scoreJob) {
        m_scoreJob = 0;
        Similarity s = m_scoreSeries;
        for (int pos : m_sequence) s.positions.append(double(pos) / kSliderUnits);
        for (int c = 0; c < s.textSeries.size(); ++c) s.values.append(QList<double>());
        for (const QList<double>& row : output.similarities)
            for (int c = 0; c < row.size() && c < s.values.size(); ++c) s.values[c].append(row[c]);
        m_similarity = s;
        Q_EMIT similarityChanged();
        return;
    }
    const bool sequence = job.id == m_sequenceJob;
    const auto exact = m_exactJobs.constFind(job.id);
    if (!sequence && exact == m_exactJobs.cend()) return;  // from an earlier render
    QList<int> positions = sequence ? m_sequence : QList<int>{exact.value()};
    if (!sequence) m_exactJobs.erase(exact);
    m_progressOf.remove(job.id);
    if (m_previewJob == job.id) {
        m_previewJob = 0;
        m_preview = QImage();
    }
    for (int i = 0; i < output.images.size() && i < positions.size(); ++i) {
        QJsonObject recipe = i < output.recipes.size() ? output.recipes.at(i) : QJsonObject();
        recipe.insert("position", double(positions[i]) / kSliderUnits);
        recipe.insert("positions", QJsonArray{double(positions[i]) / kSliderUnits});
        recipe.remove("index");
        m_cache.insert(positions[i], FrameCache::Frame{output.images.at(i), recipe});
    }
    if (sequence) {
        m_sequenceJob = 0;
        showExact(m_slider->value());
        submitScore();
        Q_EMIT sequenceReady();
    } else {
        const int pos = positions.first();
        if (m_slider->value() == pos && !m_slider->isSliderDown()) display(pos, true);
        Q_EMIT exactFrameReady(pos);
    }
    updateButtons();
}

void InterpolationPanel::jobEnded(int id, const QString&) {
    const bool shown = id == renderJobOnDisplay();
    if (id == m_sequenceJob) m_sequenceJob = 0;
    if (id == m_scoreJob) m_scoreJob = 0;
    m_exactJobs.remove(id);
    m_progressOf.remove(id);
    if (m_previewJob == id) {
        m_previewJob = 0;
        m_preview = QImage();
    }
    if (shown) {  // the view said "rendering": back to what is cached (the note says why)
        m_previewShown = false;
        if (m_cache.exact(m_shownPosition)) {
            display(m_shownPosition, m_shownPosition == m_slider->value());
        } else {
            m_view->clear();
            m_caption->setText(tr("Render frames to scrub through them"));
        }
    }
    updateButtons();
}

void InterpolationPanel::submitScore() {
    GenerationJob job;
    job.params = baseParams(pipeline::Mode::Interpolation);
    job.embedding.score = true;
    job.embedding.scoreImages = sequenceFrames();
    // The series in the order the similarities come back: reference images first, then texts.
    Similarity series;
    auto add = [&series](bool b, bool text, const QString& words) {
        series.endpointB.append(b);
        series.textSeries.append(text);
        series.texts.append(words);
    };
    const QImage a = m_template.image, b = m_template.embedding.imageB;
    if (!a.isNull()) {
        job.embedding.scoreReferences.append(a);
        add(false, false, QString());
    }
    if (!b.isNull()) {
        job.embedding.scoreReferences.append(b);
        add(true, false, QString());
    }
    if (!m_template.embedding.textA.isEmpty()) {
        job.embedding.scoreTexts.append(m_template.embedding.textA);
        add(false, true, m_template.embedding.textA);
    }
    if (!m_template.params.target.isEmpty()) {
        job.embedding.scoreTexts.append(m_template.params.target);
        add(true, true, m_template.params.target);
    }
    m_scoreSeries = series;
    m_scoreJob = submit(job);
    ++m_runs;
}

QString InterpolationPanel::Similarity::name(int c) const {
    if (c < 0 || c >= textSeries.size()) return QString::number(c + 1);
    const bool b = endpointB.value(c), text = textSeries.value(c);
    // Qualified: the strings keep InterpolationPanel as their translation context.
    if (!text) return b ? InterpolationPanel::tr("B (image)") : InterpolationPanel::tr("A (image)");
    return b ? InterpolationPanel::tr("B: “%1”").arg(texts.value(c))
             : InterpolationPanel::tr("A: “%1”").arg(texts.value(c));
}

QList<QImage> InterpolationPanel::sequenceFrames() const {
    QList<QImage> frames;
    for (int pos : m_sequence)
        if (const FrameCache::Frame* f = m_cache.exact(pos)) frames.append(f->image);
    return frames;
}

void InterpolationPanel::onSliderValue(int value) {
    Q_EMIT sliderPositionChanged(double(value) / kSliderUnits);
    if (m_slider->isSliderDown()) showNearest(value);
    else showExact(value);
}

void InterpolationPanel::showNearest(int value) {
    const int pos = m_cache.nearest(value);
    if (pos >= 0) display(pos, pos == value);
}

void InterpolationPanel::showExact(int value) {
    if (m_cache.isEmpty()) return;
    if (m_cache.contains(value)) {
        display(value, true);
        return;
    }
    showNearest(value);  // until the exact frame arrives
    requestExact(value);
    updateRenderView();  // says at once that this position is being rendered
}

void InterpolationPanel::display(int position, bool exact) {
    const FrameCache::Frame* f = m_cache.exact(position);
    if (!f) return;
    m_shownImage = f->image;
    m_shownPosition = position;
    m_shownExact = exact;
    m_view->setPixmap(thumbnailPixmap(f->image, kFrameView - 4));
    m_previewShown = false;
    const double t = double(position) / kSliderUnits;
    m_caption->setText(exact ? tr("Position %1").arg(QLocale().toString(t, 'f', 3))
                             : tr("Position %1 (nearest frame %2)")
                                   .arg(QLocale().toString(double(m_slider->value()) / kSliderUnits, 'f', 3))
                                   .arg(QLocale().toString(t, 'f', 3)));
    updateButtons();
    updateStrip();
    Q_EMIT frameShown(position, exact);
}

void InterpolationPanel::updateStrip() {
    const QList<QImage> frames = sequenceFrames();
    if (frames.isEmpty() || frames.size() != m_sequence.size()) {
        m_strip->clear();
        return;
    }
    const int n = int(frames.size());
    const int side = std::max(16, std::min(kStrip, (std::max(width(), 200) - 16) / n - 4));
    QPixmap strip((side + 4) * n, side + 6);
    strip.fill(Qt::transparent);
    QPainter painter(&strip);
    // The sequence frame nearest to the slider (in-between renders are not in the strip).
    int near = m_sequence.first();
    for (int pos : m_sequence)
        if (std::abs(pos - m_slider->value()) < std::abs(near - m_slider->value())) near = pos;
    for (int i = 0; i < n; ++i) {
        const QRect r((side + 4) * i + 2, 3, side, side);
        painter.drawImage(r, frames[i].scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        if (m_sequence[i] == near) {
            painter.setPen(QPen(palette().highlight().color(), 2));
            painter.drawRect(QRectF(r).adjusted(-1, -1, 1, 1));
        }
    }
    painter.end();
    m_strip->setPixmap(strip);
}

void InterpolationPanel::updateButtons() {
    m_render->setEnabled(!m_a->isEmpty() && !m_b->isEmpty());
    m_apply->setEnabled(!m_shownImage.isNull());
    const bool have = !m_sequence.isEmpty() && sequenceFrames().size() == m_sequence.size();
    m_exportGif->setEnabled(have);
    m_exportVideo->setEnabled(have);
    m_exportPngs->setEnabled(have);
    m_exportFrame->setEnabled(!m_shownImage.isNull());
    m_export->setEnabled(have || !m_shownImage.isNull());
}

void InterpolationPanel::applyFrame() {
    const FrameCache::Frame* f = m_cache.exact(m_shownPosition);
    if (!f) return;
    GenerationResult r;
    r.image = f->image;
    r.recipe = f->recipe;
    r.params = m_template.params;
    apply(r);
}

// ---- export -------------------------------------------------------------------------------

bool InterpolationPanel::exportGif(const QString& path, QString* error) const {
    const QList<QImage> frames = sequenceFrames();
    if (frames.isEmpty()) {
        *error = tr("Render the frames first.");
        return false;
    }
    try {
        imaging::GifOptions o;
        o.frame_delay_ms = 1000 / m_fps->value();
        imaging::write_gif(QFile::encodeName(path).toStdString(), exportMats(frames), o);
        return true;
    } catch (const imaging::ImageError& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool InterpolationPanel::exportVideo(const QString& path, QString* error) const {
    const QList<QImage> frames = sequenceFrames();
    if (frames.isEmpty()) {
        *error = tr("Render the frames first.");
        return false;
    }
    try {
        imaging::write_video(QFile::encodeName(path).toStdString(), exportMats(frames), m_fps->value());
        return true;
    } catch (const imaging::ImageError& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    } catch (const cv::Exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool InterpolationPanel::exportPngFrames(const QString& folder, QString* error) const {
    if (sequenceFrames().isEmpty()) {
        *error = tr("Render the frames first.");
        return false;
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("Cannot create the folder “%1”.").arg(QDir::toNativeSeparators(folder));
        return false;
    }
    int i = 0;
    for (int pos : m_sequence) {
        const FrameCache::Frame* f = m_cache.exact(pos);
        const QString path = QDir(folder).filePath(QStringLiteral("frame-%1.png").arg(i++, 3, 10, QLatin1Char('0')));
        if (!exportPng(path, f->image, QJsonArray{f->recipe}, error)) return false;
    }
    return true;
}

bool InterpolationPanel::exportCurrentFrame(const QString& path, QString* error) const {
    const FrameCache::Frame* f = m_cache.exact(m_shownPosition);
    if (!f) {
        *error = tr("No frame is on display.");
        return false;
    }
    return exportPng(path, f->image, QJsonArray{f->recipe}, error);
}

void InterpolationPanel::exportGifDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export animated GIF"),
                                                      QDir(settings::lastFolder()).filePath("interpolation.gif"),
                                                      tr("Animated GIF (*.gif)"));
    if (path.isEmpty()) return;
    QString error;
    Q_EMIT message(exportGif(path, &error) ? tr("Exported %1").arg(QDir::toNativeSeparators(path)) : error);
}

void InterpolationPanel::exportVideoDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export video"),
                                                      QDir(settings::lastFolder()).filePath("interpolation.avi"),
                                                      tr("Video (*.avi *.mp4 *.mkv)"));
    if (path.isEmpty()) return;
    QString error;
    Q_EMIT message(exportVideo(path, &error) ? tr("Exported %1").arg(QDir::toNativeSeparators(path)) : error);
}

void InterpolationPanel::exportPngFramesDialog() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export PNG frames into"), settings::lastFolder());
    if (folder.isEmpty()) return;
    QString error;
    Q_EMIT message(exportPngFrames(folder, &error) ? tr("Exported %n frame(s)", nullptr, int(m_sequence.size())) : error);
}

void InterpolationPanel::exportFrameDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export frame"),
                                                      QDir(settings::lastFolder()).filePath("frame.png"), pngFilter());
    if (path.isEmpty()) return;
    QString error;
    Q_EMIT message(exportCurrentFrame(path, &error) ? tr("Exported %1").arg(QDir::toNativeSeparators(path)) : error);
}

}  // namespace unclip::ui
