#include "profiles/profilefields.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace periscope::widgets {

PathEdit::PathEdit(const QString &objectName, const QString &dialogTitle, QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_dialogTitle(dialogTitle)
{
    m_edit->setObjectName(objectName);
    m_edit->setClearButtonEnabled(true);
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(objectName + QStringLiteral("Browse"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(browse);
    setFocusProxy(m_edit);
    connect(browse, &QPushButton::clicked, this, &PathEdit::browse);
    connect(m_edit, &QLineEdit::textChanged, this, &PathEdit::pathChanged);
}

QString PathEdit::path() const
{
    return m_edit->text().trimmed();
}

void PathEdit::setPath(const QString &path)
{
    m_edit->setText(path);
}

void PathEdit::browse()
{
    const QString chosen = QFileDialog::getOpenFileName(this, m_dialogTitle, path());
    if (!chosen.isEmpty())
        m_edit->setText(QDir::toNativeSeparators(chosen));
}

SecretEdit::SecretEdit(const QString &objectName, QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
{
    m_edit->setObjectName(objectName);
    m_edit->setEchoMode(QLineEdit::Password);
    auto *show = new QToolButton(this);
    show->setObjectName(objectName + QStringLiteral("Show"));
    show->setText(tr("Show"));
    show->setToolTip(tr("Show the characters typed"));
    show->setCheckable(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(show);
    setFocusProxy(m_edit);
    connect(show, &QToolButton::toggled, this, [this, show](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        show->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_edit, &QLineEdit::textEdited, this, &SecretEdit::textEdited);
}

QString SecretEdit::text() const
{
    return m_edit->text();
}

void SecretEdit::setText(const QString &text)
{
    m_edit->setText(text);
}

PropertiesEditor::PropertiesEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
{
    m_table->setObjectName(QStringLiteral("extraPropertiesTable"));
    m_table->setHorizontalHeaderLabels({tr("Property"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setMinimumHeight(90);
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("addPropertyButton"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removePropertyButton"));
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        addRow({}, {});
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) {
            m_table->removeRow(m_table->currentRow());
            Q_EMIT changed();
        }
    });
    connect(m_table, &QTableWidget::itemChanged, this, &PropertiesEditor::changed);
}

void PropertiesEditor::addRow(const QString &key, const QString &value)
{
    const QSignalBlocker blocker(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(key));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

QList<QPair<QString, QString>> PropertiesEditor::properties() const
{
    QList<QPair<QString, QString>> result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString key =
            m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            result.append({key, m_table->item(row, 1) ? m_table->item(row, 1)->text() : QString()});
    }
    return result;
}

void PropertiesEditor::setProperties(const QList<QPair<QString, QString>> &properties)
{
    m_table->setRowCount(0);
    for (const auto &[key, value] : properties)
        addRow(key, value);
    Q_EMIT changed();
}

} // namespace periscope::widgets
