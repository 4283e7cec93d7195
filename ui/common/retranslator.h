// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Live language switching: widgets register how to set each user-visible string, the setters run
// once now and again whenever the owner receives QEvent::LanguageChange (a new QTranslator was
// installed, e.g. from Settings). Source strings are marked with QT_TR_NOOP so lupdate finds them
// in the owner's context; they are translated with the owner class's context at run time.
#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QAbstractButton;
class QAction;
class QLabel;
class QLineEdit;
class QWidget;

namespace unclip::ui {

class Retranslator : public QObject {
public:
    // context: the translation context, normally owner->metaObject()->className().
    explicit Retranslator(QWidget* owner, const char* context = nullptr);

    QString t(const char* source, const char* disambiguation = nullptr, int n = -1) const;
    // Runs `setter` now and after every language change.
    void add(std::function<void()> setter);
    // Shorthands for the common cases.
    // buddy: the field the label's mnemonic (&) focuses; without one QLabel shows the '&'.
    QLabel* label(const char* source, QWidget* parent, QWidget* buddy = nullptr);
    void text(QLabel* label, const char* source);
    void text(QAbstractButton* button, const char* source);
    void text(QAction* action, const char* source);
    void placeholderText(QLineEdit* edit, const char* source);
    void toolTip(QWidget* widget, const char* source);
    void windowTitle(QWidget* widget, const char* source);
    // Runs every setter again (what a LanguageChange does).
    void retranslate();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QByteArray m_context;
    std::vector<std::function<void()>> m_setters;
};

}  // namespace unclip::ui
