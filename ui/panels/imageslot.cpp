// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/imageslot.h"

#include "ui/common/qtcv.h"
#include "ui/common/retranslator.h"
#include "ui/document/document.h"
#include "ui/fileformats/documentio.h"
#include "ui/panels/embeddingpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/settings/appsettings.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QDataStream>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace unclip::ui {

namespace {
constexpr int kSlotThumb = 96;
constexpr const char* kItemListMime = "application/x-qabstractitemmodeldatalist";

QToolButton* slotButton(QWidget* parent, const char* name) {
    auto* b = new QToolButton(parent);
    b->setObjectName(QString::fromLatin1(name));
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(false);
    return b;
}
}  // namespace

ImageSlot::ImageSlot(const PanelContext& context, bool allowText, QWidget* parent)
    : QFrame(parent), m_context(context), m_allowText(allowText) {
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::StrongFocus);
    setAcceptDrops(true);
    auto* rt = new Retranslator(this);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(this);
    m_title->setObjectName("title");
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_thumb = new QLabel(this);
    m_thumb->setObjectName("thumbnail");
    m_thumb->setFixedSize(kSlotThumb, kSlotThumb);
    m_thumb->setAlignment(Qt::AlignCenter);
    m_thumb->setWordWrap(true);
    m_thumb->setFrameShape(QFrame::Panel);
    m_thumb->setFrameShadow(QFrame::Sunken);
    grid->addWidget(m_title, 0, 0, 1, 2);
    grid->addWidget(m_thumb, 1, 0, 2, 1);
    auto* right = new QVBoxLayout;
    if (m_allowText) {
        m_text = new QLineEdit(this);
        m_text->setObjectName("text");
        m_text->setClearButtonEnabled(true);
        rt->placeholderText(m_text, QT_TR_NOOP("…or describe it in words"));
        right->addWidget(m_text);
        connect(m_text, &QLineEdit::textChanged, this, [this] { Q_EMIT changed(); });
    }
    auto* buttons = new QGridLayout;
    m_open = slotButton(this, "openButton");
    m_paste = slotButton(this, "pasteButton");
    m_document = slotButton(this, "documentButton");
    m_result = slotButton(this, "resultButton");
    m_clear = slotButton(this, "clearButton");
    rt->text(m_open, QT_TR_NOOP("Open…"));
    rt->toolTip(m_open, QT_TR_NOOP("Use an image file"));
    rt->text(m_paste, QT_TR_NOOP("Paste"));
    rt->toolTip(m_paste, QT_TR_NOOP("Use the image on the clipboard (Ctrl+V while this slot has focus)"));
    rt->text(m_document, QT_TR_NOOP("Picture"));
    rt->toolTip(m_document, QT_TR_NOOP("Use the current picture of the document"));
    rt->text(m_result, QT_TR_NOOP("Result"));
    rt->toolTip(m_result, QT_TR_NOOP("Use the result selected in the Results dock (or drag a result thumbnail here)"));
    rt->text(m_clear, QT_TR_NOOP("Clear"));
    rt->toolTip(this, m_allowText ? QT_TR_NOOP("Drop an image or type a text") : QT_TR_NOOP("Drop an image here"));
    buttons->addWidget(m_open, 0, 0);
    buttons->addWidget(m_paste, 0, 1);
    buttons->addWidget(m_clear, 0, 2);
    buttons->addWidget(m_document, 1, 0);
    buttons->addWidget(m_result, 1, 1, 1, 2);
    right->addLayout(buttons);
    right->addStretch(1);
    grid->addLayout(right, 1, 1, 2, 1);
    grid->setColumnStretch(1, 1);
    connect(m_open, &QToolButton::clicked, this, &ImageSlot::openFile);
    connect(m_paste, &QToolButton::clicked, this, &ImageSlot::paste);
    connect(m_document, &QToolButton::clicked, this, &ImageSlot::useDocument);
    connect(m_result, &QToolButton::clicked, this, &ImageSlot::useResult);
    connect(m_clear, &QToolButton::clicked, this, &ImageSlot::clear);
    rt->add([this] { refresh(); });  // the empty slot's hint
    // A slot given "the picture" follows it: edits and applied results show here (after a short
    // pause, not for every brush dab), until another image or a text is put in.
    m_liveTimer = new QTimer(this);
    m_liveTimer->setSingleShot(true);
    m_liveTimer->setInterval(150);
    connect(m_liveTimer, &QTimer::timeout, this, [this] {
        if (!m_live || !m_context.document || m_context.document->isNull()) return;
        m_image = toDocumentImage(m_context.document->image());
        refresh();
        Q_EMIT changed();
    });
    if (Document* doc = m_context.document) {
        connect(doc, &Document::changed, this, [this](Layer layer, const QRect&) {
            if (m_live && layer == Layer::Image) m_liveTimer->start();
        });
        connect(doc, &Document::contentReset, this, [this] {
            if (m_live) m_liveTimer->start();
        });
    }
}

void ImageSlot::setTitle(const QString& title) {
    m_titleText = title;
    m_title->setText(title);
}

QString ImageSlot::text() const { return m_text && m_image.isNull() ? m_text->text().trimmed() : QString(); }

QString ImageSlot::describe() const {
    if (hasImage()) return tr("%1 (image)").arg(m_titleText);
    return tr("“%1”").arg(text());
}

void ImageSlot::refresh() {
    if (m_image.isNull()) {
        m_thumb->setPixmap({});
        m_thumb->setText(m_allowText ? tr("Drop an image\nor type a text") : tr("Drop an image"));
    } else {
        m_thumb->setPixmap(thumbnailPixmap(m_image, kSlotThumb - 4));
    }
    m_thumb->setToolTip(m_live ? tr("The picture: follows your edits and applied results") : QString());
    if (m_text) m_text->setEnabled(m_image.isNull());
    m_clear->setEnabled(!isEmpty());
    m_result->setEnabled(m_context.results != nullptr);
    m_document->setEnabled(m_context.document != nullptr);
}

void ImageSlot::setImage(const QImage& image) {
    m_live = false;
    m_image = image.isNull() ? QImage() : toDocumentImage(image);
    refresh();
    Q_EMIT changed();
}

void ImageSlot::setText(const QString& text) {
    if (!m_text) return;
    m_live = false;
    m_image = QImage();
    m_text->setText(text);
    refresh();
    Q_EMIT changed();
}

void ImageSlot::clear() {
    m_live = false;
    m_image = QImage();
    if (m_text) m_text->clear();
    refresh();
    Q_EMIT changed();
}

bool ImageSlot::loadFile(const QString& path) {
    DocumentContent content;
    QString error;
    if (!loadDocument(path, &content, &error)) {
        Q_EMIT message(tr("Cannot open “%1”: %2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    setImage(content.image);
    return true;
}

void ImageSlot::openFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open an image"), settings::lastFolder(), openFilter());
    if (path.isEmpty()) return;
    settings::setLastFolder(QFileInfo(path).absolutePath());
    loadFile(path);
}

void ImageSlot::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime || !takeMime(mime, nullptr, true)) Q_EMIT message(tr("The clipboard holds no image"));
}

void ImageSlot::useDocument() {
    if (!m_context.document) return;
    setImage(m_context.document->image());
    m_live = true;
    refresh();
}

void ImageSlot::useResult() {
    ResultsPanel* r = m_context.results;
    const int i = r ? r->currentIndex() : -1;
    if (i < 0 || i >= r->count()) {
        Q_EMIT message(tr("Select a result in the Results dock first"));
        return;
    }
    setImage(r->result(i).image);
}

// Images (clipboard/drag data), local image files, result thumbnails dragged from the Results dock,
// and plain text (text slots). With apply = false only says whether it would be taken.
bool ImageSlot::takeMime(const QMimeData* mime, QObject* source, bool apply) {
    if (mime->hasFormat(kItemListMime)) {
        QByteArray data = mime->data(kItemListMime);
        QDataStream stream(&data, QIODevice::ReadOnly);
        int row = -1, column = -1;
        QMap<int, QVariant> roles;
        stream >> row >> column >> roles;
        // Thumbnails that carry their full image (the Variations grid)...
        const QVariant full = roles.value(kFullImageRole);
        if (full.canConvert<QImage>() && !qvariant_cast<QImage>(full).isNull()) {
            if (apply) setImage(qvariant_cast<QImage>(full));
            return true;
        }
        // ...and the Results dock's, looked up by row.
        auto* view = qobject_cast<QAbstractItemView*>(source);
        if (view && m_context.results && m_context.results->isAncestorOf(view) && row >= 0 &&
            row < m_context.results->count()) {
            if (apply) setImage(m_context.results->result(row).image);
            return true;
        }
    }
    if (mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (image.isNull()) return false;
        if (apply) setImage(image);
        return true;
    }
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls()) {
            if (!url.isLocalFile()) continue;
            if (apply) return loadFile(url.toLocalFile());
            return true;
        }
    }
    if (m_text && mime->hasText() && !mime->text().trimmed().isEmpty()) {
        if (apply) setText(mime->text().trimmed());
        return true;
    }
    return false;
}

void ImageSlot::dragEnterEvent(QDragEnterEvent* event) {
    if (takeMime(event->mimeData(), event->source(), false)) event->acceptProposedAction();
}

void ImageSlot::dropEvent(QDropEvent* event) {
    if (takeMime(event->mimeData(), event->source(), true)) event->acceptProposedAction();
}

bool ImageSlot::event(QEvent* event) {
    // Ctrl+V belongs to this slot while it has focus (not to the window's Paste action).
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::Paste) || key->key() == Qt::Key_Delete) {
            event->accept();
            return true;
        }
    }
    return QFrame::event(event);
}

void ImageSlot::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return;
    }
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        clear();
        return;
    }
    QFrame::keyPressEvent(event);
}

}  // namespace unclip::ui
