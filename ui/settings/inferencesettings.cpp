// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/inferencesettings.h"

#include "ui/inference/pipelinebackend.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

namespace unclip::ui {

InferenceSettings::InferenceSettings(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_where = new QComboBox(this);
    m_where->setObjectName("inferenceWhere");
    m_where->addItem(tr("This computer"), "local");
    m_where->addItem(tr("A server"), "server");
    m_where->addItem(tr("A local server program"), "program");
    form->addRow(m_where);

    m_serverRow = new QWidget(this);
    auto* serverForm = new QFormLayout(m_serverRow);
    serverForm->setContentsMargins(0, 0, 0, 0);
    m_url = new QLineEdit(m_serverRow);
    m_url->setObjectName("serverUrl");
    m_url->setPlaceholderText("http://127.0.0.1:8787");
    serverForm->addRow(tr("Server &address:"), m_url);
    m_token = new QLineEdit(m_serverRow);
    m_token->setObjectName("serverToken");
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("none"));
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    m_test = new QPushButton(tr("T&est"), m_serverRow);
    m_test->setObjectName("serverTest");
    tokenRow->addWidget(m_test);
    serverForm->addRow(tr("To&ken:"), tokenRow);
    m_info = new QLabel(m_serverRow);
    m_info->setObjectName("serverInfo");
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    serverForm->addRow(QString(), m_info);
    form->addRow(m_serverRow);

    m_programRow = new QWidget(this);
    auto* programForm = new QFormLayout(m_programRow);
    programForm->setContentsMargins(0, 0, 0, 0);
    m_program = new QLineEdit(m_programRow);
    m_program->setObjectName("serverProgram");
    m_program->setPlaceholderText(tr("an unclip program built with your GPU's LibTorch"));
    auto* browse = new QToolButton(m_programRow);
    browse->setText("…");
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Server program"), m_program->text());
        if (!f.isEmpty()) m_program->setText(QDir::toNativeSeparators(f));
    });
    auto* programRow = new QHBoxLayout;
    programRow->addWidget(m_program, 1);
    programRow->addWidget(browse);
    programForm->addRow(tr("Server pro&gram:"), programRow);
    form->addRow(m_programRow);

    connect(m_where, &QComboBox::currentIndexChanged, this, &InferenceSettings::updateVisibility);
    connect(m_test, &QPushButton::clicked, this, &InferenceSettings::test);
    updateVisibility();
}

void InferenceSettings::updateVisibility() {
    const QString where = m_where->currentData().toString();
    m_serverRow->setVisible(where == "server");
    m_programRow->setVisible(where == "program");
}

void InferenceSettings::set(const ModelSettings& s) {
    const int i = m_where->findData(s.inference);
    m_where->setCurrentIndex(i < 0 ? 0 : i);
    m_url->setText(s.serverUrl);
    m_token->setText(s.serverToken);
    m_program->setText(QDir::toNativeSeparators(s.serverProgram));
    updateVisibility();
}

void InferenceSettings::apply(ModelSettings& s) const {
    s.inference = m_where->currentData().toString();
    s.serverUrl = m_url->text().trimmed();
    s.serverToken = m_token->text().trimmed();
    s.serverProgram = QDir::fromNativeSeparators(m_program->text().trimmed());
}

void InferenceSettings::test() {
    m_info->setText(describeServer(m_url->text().trimmed(), m_token->text().trimmed()));
}

QString InferenceSettings::testResult() const { return m_info->text(); }

}  // namespace unclip::ui
