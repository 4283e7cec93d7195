// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the window's geometry and dock layout, remembered per screen size and kept on the
// screen, View > Reset Layout, and the settings read at start and written at exit.
#include "ui/mainwindow/mainwindow.h"

#include "ui/inference/inferencecontroller.h"
#include "ui/inference/pipelinebackend.h"
#include "ui/panels/promptpanel.h"
#include "ui/settings/appsettings.h"

#include <QDockWidget>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace unclip::ui {

void MainWindow::readSettings() {
    m_inference->setModelSettings(settings::modelSettings());
    m_prompt->setDeviceOptions(availableDevices());
    m_prompt->setModelOptions(settings::modelSettings().device, settings::modelSettings().precision);
    m_canvas->setBrushSize(settings::brushSize());
    m_canvas->setBrushHardness(settings::brushHardness());
    m_canvas->setMaskOverlay(settings::maskColor(), settings::maskOpacity());
    m_prompt->restoreState();
    announceModelFamily(settings::modelSettings());
    // The layout is remembered per screen size: a laptop screen and a large monitor each keep theirs.
    const QString key = screenKey();
    const QByteArray geometry = settings::windowGeometry(key);
    m_layoutRestored = !geometry.isEmpty() && restoreGeometry(geometry) && restoreState(settings::windowState(key));
    if (!m_layoutRestored) {
        // First start on this screen size: the available screen area, never more.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 720);
        setGeometry(available);
        applyDefaultDockSizes();
    }
    fitToScreen();
}

QString MainWindow::screenKey() const {
    const QSize s = screen() ? screen()->availableGeometry().size() : QSize();
    return QStringLiteral("%1x%2").arg(s.width()).arg(s.height());
}

void MainWindow::fitToScreen() {
    if (!screen() || isFullScreen()) return;
    const QRect available = screen()->availableGeometry();
    const QRect frame = frameGeometry();
    const QMargins margins(geometry().left() - frame.left(), geometry().top() - frame.top(),
                           frame.right() - geometry().right(), frame.bottom() - geometry().bottom());
    if (available.contains(frame)) return;
    const QRect inner = available.marginsRemoved(margins);
    QRect g = geometry();
    g.setSize(g.size().boundedTo(inner.size()));
    g.moveLeft(std::clamp(g.left(), inner.left(), inner.right() - g.width() + 1));
    g.moveTop(std::clamp(g.top(), inner.top(), inner.bottom() - g.height() + 1));
    setGeometry(g);
}

void MainWindow::applyDefaultDockSizes() {
    // Proportions that leave the canvas the most room on any screen from 1280 × 720 up.
    const QSize size = this->size();
    auto* prompt = findChild<QDockWidget*>("promptDock");
    auto* history = findChild<QDockWidget*>("historyDock");
    auto* results = findChild<QDockWidget*>("resultsDock");
    if (prompt) resizeDocks({prompt}, {std::clamp(size.width() * 3 / 10, 300, 440)}, Qt::Horizontal);
    if (prompt && history)
        resizeDocks({prompt, history}, {size.height() * 3 / 4, size.height() / 4}, Qt::Vertical);
    if (results) resizeDocks({results}, {std::clamp(size.height() / 4, 200, 280)}, Qt::Vertical);
}

void MainWindow::resetLayout() {
    if (isFullScreen()) showNormal();
    restoreState(m_defaultLayout);
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        if (dock->isFloating()) dock->setFloating(false);
    }
    for (const char* name : {"promptDock", "historyDock", "resultsDock"})
        if (auto* dock = findChild<QDockWidget*>(QString::fromLatin1(name))) {
            dock->show();
            if (qstrcmp(name, "historyDock") != 0) dock->raise();
        }
    applyDefaultDockSizes();
    statusBar()->showMessage(tr("The panels are back in their first places"), 4000);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (m_shownOnce) return;
    m_shownOnce = true;
    // The frame's size is known only now (on X11 once the window manager framed the window, a
    // moment later): keep the whole window on the screen.
    fitToScreen();
    QTimer::singleShot(300, this, &MainWindow::fitToScreen);
    if (!m_layoutRestored) applyDefaultDockSizes();
}

void MainWindow::writeSettings() {
    settings::setWindowGeometry(saveGeometry(), saveState(), screenKey());
    settings::setBrushSize(m_canvas->brushSize());
    settings::setBrushHardness(m_canvas->brushHardness());
    m_prompt->saveState();
}


}  // namespace unclip::ui
