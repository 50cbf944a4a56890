#pragma once

#include "client/types.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace periscope::widgets {

// Edits one topic or broker config entry: a new value, or removing the dynamic override
// so the entry falls back to its inherited or default value.
class EditConfigDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit EditConfigDialog(QWidget *parent = nullptr);

    void setEntry(const client::ConfigEntry &entry,
                  client::ConfigResource::Type type = client::ConfigResource::Type::Topic);
    client::ConfigEntry entry() const { return m_entry; }

    QString newValue() const;
    bool resetToDefault() const;
    // True when the entry is set on this very resource, i.e. there is something to reset.
    bool hasOverride() const;
    QString problem() const { return m_problem; } // empty when OK is enabled

private:
    void validate();

    client::ConfigEntry m_entry;
    client::ConfigResource::Type m_type = client::ConfigResource::Type::Topic;
    QString m_problem;
    QLineEdit *m_nameEdit;
    QLineEdit *m_currentEdit;
    QLabel *m_sourceLabel;
    QLabel *m_flagsLabel;
    QLineEdit *m_valueEdit;
    QCheckBox *m_resetCheck;
    QLabel *m_problemLabel;
    QPushButton *m_okButton;
};

} // namespace periscope::widgets
