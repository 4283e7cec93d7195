// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Settings > Inference: where the model runs. This computer (the default: this process), A server
// (an `unclip serve` at a URL, with its token and a Test button showing its /v1/info), or A local
// server program (an `unclip` built with another LibTorch, e.g. CUDA, which the editor starts as a
// private child). docs/api.md describes the server.
#include "ui/settings/appsettings.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace unclip::ui {

class InferenceSettings : public QWidget {
    Q_OBJECT

public:
    explicit InferenceSettings(QWidget* parent = nullptr);
    void set(const ModelSettings& s);
    void apply(ModelSettings& s) const;  // writes the inference fields only
    // Asks the server at the URL for its /v1/info and shows the answer (or why there is none).
    void test();
    QString testResult() const;

private:
    void updateVisibility();

    QComboBox* m_where;
    QWidget* m_serverRow;
    QLineEdit* m_url;
    QLineEdit* m_token;
    QPushButton* m_test;
    QLabel* m_info;
    QWidget* m_programRow;
    QLineEdit* m_program;
};

}  // namespace unclip::ui
