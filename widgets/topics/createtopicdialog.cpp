#include "topics/createtopicdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

namespace periscope::widgets {

namespace {

constexpr int MaxPartitions = 10000;

QString metricName(const QString &topic)
{
    QString folded = topic;
    return folded.replace(QLatin1Char('.'), QLatin1Char('_'));
}

} // namespace

CreateTopicDialog::CreateTopicDialog(QWidget *parent)
    : QDialog(parent)
    , m_nameEdit(new QLineEdit(this))
    , m_partitionsSpin(new QSpinBox(this))
    , m_replicationSpin(new QSpinBox(this))
    , m_brokersLabel(new QLabel(this))
    , m_configTable(new QTableWidget(0, 2, this))
    , m_keyCombo(new QComboBox(this))
    , m_addButton(new QPushButton(tr("&Add"), this))
    , m_removeButton(new QPushButton(tr("&Remove"), this))
    , m_problemLabel(new QLabel(this))
    , m_warningLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_okButton(m_buttons->button(QDialogButtonBox::Ok))
{
    setWindowTitle(tr("Create Topic"));
    setMinimumWidth(460);

    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setPlaceholderText(tr("e.g. orders.created"));
    m_nameEdit->setMaxLength(249);
    m_partitionsSpin->setObjectName(QStringLiteral("partitionsSpin"));
    m_partitionsSpin->setRange(1, MaxPartitions);
    m_replicationSpin->setObjectName(QStringLiteral("replicationSpin"));
    m_replicationSpin->setRange(1, 1);
    m_brokersLabel->setObjectName(QStringLiteral("brokersLabel"));

    auto *replicationRow = new QHBoxLayout;
    replicationRow->addWidget(m_replicationSpin);
    replicationRow->addWidget(m_brokersLabel, 1);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_nameEdit);
    form->addRow(tr("&Partitions:"), m_partitionsSpin);
    form->addRow(tr("Re&plication factor:"), replicationRow);

    m_configTable->setObjectName(QStringLiteral("configTable"));
    m_configTable->setHorizontalHeaderLabels({tr("Config"), tr("Value")});
    m_configTable->horizontalHeader()->setStretchLastSection(true);
    m_configTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_configTable->verticalHeader()->hide();
    m_configTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_configTable->setMinimumHeight(120);
    m_keyCombo->setObjectName(QStringLiteral("configKeyCombo"));
    m_keyCombo->setEditable(true);
    m_keyCombo->addItems(commonConfigKeys());
    m_keyCombo->setInsertPolicy(QComboBox::NoInsert);
    m_keyCombo->lineEdit()->installEventFilter(this);
    m_addButton->setObjectName(QStringLiteral("addConfigButton"));
    m_removeButton->setObjectName(QStringLiteral("removeConfigButton"));
    m_removeButton->setEnabled(false);
    for (QPushButton *b : {m_addButton, m_removeButton})
        b->setAutoDefault(false);

    auto *configButtons = new QHBoxLayout;
    configButtons->addWidget(m_keyCombo, 1);
    configButtons->addWidget(m_addButton);
    configButtons->addWidget(m_removeButton);
    auto *configBox = new QGroupBox(tr("Configuration overrides"), this);
    auto *configLayout = new QVBoxLayout(configBox);
    configLayout->addWidget(m_configTable);
    configLayout->addLayout(configButtons);

    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_warningLabel->setObjectName(QStringLiteral("warningLabel"));
    m_warningLabel->setWordWrap(true);
    m_warningLabel->hide();
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setText(tr("&Create"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(configBox, 1);
    layout->addWidget(m_warningLabel);
    layout->addWidget(m_problemLabel);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_nameEdit, &QLineEdit::textChanged, this, &CreateTopicDialog::validate);
    connect(m_replicationSpin, &QSpinBox::valueChanged, this, &CreateTopicDialog::validate);
    connect(m_configTable, &QTableWidget::itemChanged, this, &CreateTopicDialog::validate);
    connect(m_configTable, &QTableWidget::itemSelectionChanged, this,
            [this] { m_removeButton->setEnabled(!m_configTable->selectedItems().isEmpty()); });
    connect(m_addButton, &QPushButton::clicked, this, &CreateTopicDialog::addConfigRow);
    connect(m_removeButton, &QPushButton::clicked, this,
            &CreateTopicDialog::removeSelectedConfigRows);

    setBrokerCount(1);
    validate();
}

QStringList CreateTopicDialog::commonConfigKeys()
{
    return {QStringLiteral("retention.ms"),      QStringLiteral("retention.bytes"),
            QStringLiteral("cleanup.policy"),    QStringLiteral("segment.bytes"),
            QStringLiteral("max.message.bytes"), QStringLiteral("min.insync.replicas"),
            QStringLiteral("compression.type")};
}

// Return in the key combo adds the row instead of accepting the whole dialog.
bool CreateTopicDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_keyCombo->lineEdit() && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            addConfigRow();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void CreateTopicDialog::setBrokerCount(int count)
{
    const int brokers = qMax(1, count);
    m_replicationSpin->setMaximum(brokers);
    m_replicationSpin->setValue(qMin(3, brokers));
    m_brokersLabel->setText(tr("(%n broker(s) in the cluster)", nullptr, brokers));
}

void CreateTopicDialog::setDefaultPartitions(int partitions)
{
    m_partitionsSpin->setValue(qBound(1, partitions, MaxPartitions));
}

void CreateTopicDialog::setExistingNames(const QStringList &names)
{
    m_existing = QSet<QString>(names.cbegin(), names.cend());
    m_existingByMetricName.clear();
    for (const QString &name : names)
        m_existingByMetricName.insert(metricName(name), name);
    validate();
}

void CreateTopicDialog::setTopicName(const QString &name)
{
    m_nameEdit->setText(name);
}

client::NewTopic CreateTopicDialog::newTopic() const
{
    client::NewTopic topic;
    topic.name = m_nameEdit->text();
    topic.partitions = m_partitionsSpin->value();
    topic.replicationFactor = m_replicationSpin->value();
    for (const auto &[key, value] : configRows())
        topic.configs.insert(key, value);
    return topic;
}

QList<QPair<QString, QString>> CreateTopicDialog::configRows() const
{
    QList<QPair<QString, QString>> rows;
    for (int row = 0; row < m_configTable->rowCount(); ++row) {
        const QTableWidgetItem *key = m_configTable->item(row, 0);
        const QTableWidgetItem *value = m_configTable->item(row, 1);
        rows.append(
            {key ? key->text().trimmed() : QString(), value ? value->text().trimmed() : QString()});
    }
    return rows;
}

void CreateTopicDialog::addConfigRow()
{
    const QString key = m_keyCombo->currentText().trimmed();
    if (key.isEmpty()) {
        m_keyCombo->setFocus();
        return;
    }
    int row = 0;
    while (row < m_configTable->rowCount() && m_configTable->item(row, 0)->text() != key)
        ++row;
    if (row == m_configTable->rowCount()) {
        const QSignalBlocker blocker(m_configTable);
        m_configTable->insertRow(row);
        m_configTable->setItem(row, 0, new QTableWidgetItem(key));
        m_configTable->setItem(row, 1, new QTableWidgetItem);
    }
    validate();
    QTableWidgetItem *value = m_configTable->item(row, 1);
    m_configTable->setCurrentItem(value);
    m_configTable->setFocus();
    m_configTable->editItem(value);
}

void CreateTopicDialog::removeSelectedConfigRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_configTable->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows)
        m_configTable->removeRow(row);
    validate();
}

QString CreateTopicDialog::nameProblem(const QString &name) const
{
    const QString rule = client::topicNameProblem(name);
    if (!rule.isEmpty())
        return rule;
    if (m_existing.contains(name))
        return tr("A topic named \"%1\" already exists.").arg(name);
    const QString clash = m_existingByMetricName.value(metricName(name));
    if (!clash.isEmpty())
        return tr("\"%1\" collides with the existing topic \"%2\": '.' and '_' are the same "
                  "in metric names.")
            .arg(name, clash);
    return {};
}

QString CreateTopicDialog::configProblem() const
{
    QSet<QString> seen;
    for (const auto &[key, value] : configRows()) {
        if (key.isEmpty())
            return tr("A configuration row has no name.");
        if (seen.contains(key))
            return tr("\"%1\" is set twice.").arg(key);
        seen.insert(key);
        if (value.isEmpty())
            return tr("\"%1\" needs a value (or remove the row).").arg(key);
    }
    return {};
}

QString CreateTopicDialog::warning(const QString &name) const
{
    QStringList lines;
    if (name.contains(QLatin1Char('.')) || name.contains(QLatin1Char('_')))
        lines << tr("Because of limitations in metric names, topics with a period ('.') or "
                    "underscore ('_') could collide. It is best to use either, but not both.");
    for (const auto &[key, value] : configRows()) {
        bool ok = false;
        const int minIsr = value.toInt(&ok);
        if (key == QLatin1String("min.insync.replicas") && ok &&
            minIsr > m_replicationSpin->value())
            lines << tr("min.insync.replicas is above the replication factor: producers "
                        "using acks=all will be refused.");
    }
    return lines.join(QLatin1Char('\n'));
}

void CreateTopicDialog::validate()
{
    const QString name = m_nameEdit->text();
    m_problem = nameProblem(name);
    if (m_problem.isEmpty())
        m_problem = configProblem();
    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
    m_okButton->setEnabled(m_problem.isEmpty());

    const QString text = warning(name);
    m_warningLabel->setText(text);
    m_warningLabel->setVisible(!text.isEmpty());
}

} // namespace periscope::widgets
