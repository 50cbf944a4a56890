#include "topics/editconfigdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace periscope::widgets {

using client::ConfigEntry;
using client::ConfigResource;

EditConfigDialog::EditConfigDialog(QWidget *parent)
    : QDialog(parent)
    , m_nameEdit(new QLineEdit(this))
    , m_currentEdit(new QLineEdit(this))
    , m_sourceLabel(new QLabel(this))
    , m_flagsLabel(new QLabel(this))
    , m_valueEdit(new QLineEdit(this))
    , m_resetCheck(new QCheckBox(tr("&Reset to default (remove this override)"), this))
    , m_problemLabel(new QLabel(this))
{
    setWindowTitle(tr("Edit Configuration"));
    setMinimumWidth(440);

    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setReadOnly(true);
    m_currentEdit->setObjectName(QStringLiteral("currentValueEdit"));
    m_currentEdit->setReadOnly(true);
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    m_flagsLabel->setObjectName(QStringLiteral("flagsLabel"));
    m_valueEdit->setObjectName(QStringLiteral("valueEdit"));
    m_valueEdit->setClearButtonEnabled(true);
    m_resetCheck->setObjectName(QStringLiteral("resetCheck"));
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_nameEdit);
    form->addRow(tr("Current value:"), m_currentEdit);
    form->addRow(tr("Source:"), m_sourceLabel);
    form->addRow(tr("Flags:"), m_flagsLabel);
    form->addRow(tr("&New value:"), m_valueEdit);
    form->addRow(QString(), m_resetCheck);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setText(tr("&Apply"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problemLabel);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_valueEdit, &QLineEdit::textChanged, this, &EditConfigDialog::validate);
    connect(m_resetCheck, &QCheckBox::toggled, this, &EditConfigDialog::validate);

    setEntry(ConfigEntry{});
    m_valueEdit->setFocus();
}

void EditConfigDialog::setEntry(const ConfigEntry &entry, ConfigResource::Type type)
{
    m_entry = entry;
    m_type = type;

    m_nameEdit->setText(entry.name);
    if (entry.sensitive)
        m_currentEdit->setText(tr("(hidden: sensitive)"));
    else if (entry.isNull)
        m_currentEdit->setText(tr("(not set)"));
    else
        m_currentEdit->setText(entry.value);
    m_sourceLabel->setText(entry.sourceName());

    QStringList flags;
    if (entry.isDefault)
        flags << tr("default");
    if (entry.readOnly)
        flags << tr("read-only");
    if (entry.sensitive)
        flags << tr("sensitive");
    m_flagsLabel->setText(flags.isEmpty() ? tr("none") : flags.join(QStringLiteral(", ")));

    // A sensitive value never comes back from the broker, so there is nothing to prefill.
    m_valueEdit->setEchoMode(entry.sensitive ? QLineEdit::PasswordEchoOnEdit : QLineEdit::Normal);
    m_valueEdit->setText(entry.sensitive || entry.isNull ? QString() : entry.value);
    m_valueEdit->setReadOnly(entry.readOnly);
    m_resetCheck->setChecked(false);
    m_resetCheck->setEnabled(hasOverride() && !entry.readOnly);
    QString inherited;
    if (!hasOverride())
        inherited = type == ConfigResource::Type::Topic
                        ? tr("This value is inherited, not set on the topic.")
                        : tr("This value is inherited, not set on the broker.");
    m_resetCheck->setToolTip(inherited);
    validate();
}

bool EditConfigDialog::hasOverride() const
{
    const ConfigEntry::Source own = m_type == ConfigResource::Type::Topic
                                        ? ConfigEntry::Source::DynamicTopic
                                        : ConfigEntry::Source::DynamicBroker;
    return m_entry.source == own;
}

QString EditConfigDialog::newValue() const
{
    return resetToDefault() ? QString() : m_valueEdit->text();
}

bool EditConfigDialog::resetToDefault() const
{
    return m_resetCheck->isEnabled() && m_resetCheck->isChecked();
}

void EditConfigDialog::validate()
{
    const bool reset = resetToDefault();
    m_valueEdit->setEnabled(!reset && !m_entry.readOnly);

    const QString text = m_valueEdit->text();
    if (m_entry.name.isEmpty())
        m_problem = tr("No configuration entry selected.");
    else if (m_entry.readOnly)
        m_problem = tr("This setting is read-only; it can only be changed in the broker's "
                       "configuration file.");
    else if (reset)
        m_problem.clear();
    else if (m_entry.sensitive && text.isEmpty())
        m_problem = tr("Enter the new secret value.");
    else if (!m_entry.sensitive && !m_entry.isNull && text == m_entry.value)
        m_problem = tr("Enter a new value, or reset to the default.");
    else if (m_entry.isNull && text.isEmpty())
        m_problem = tr("Enter a value.");
    else
        m_problem.clear();

    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
    m_okButton->setEnabled(m_problem.isEmpty());
}

} // namespace periscope::widgets
