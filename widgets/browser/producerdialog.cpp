#include "browser/producerdialog.h"

#include "common/actionprogress.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStringDecoder>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

namespace periscope::widgets {

using namespace client;

namespace {

QString withoutSpaces(const QString &text)
{
    return QString(text).remove(QRegularExpression(QStringLiteral("\\s")));
}

// UTF-8 without control characters other than line breaks and tabs: editable as text.
bool isText(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        return false;
    return std::none_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.category() == QChar::Other_Control && c != u'\n' && c != u'\r' && c != u'\t';
    });
}

} // namespace

QString groupedNumber(qint64 n)
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(n);
}

ProducerDialog::ProducerDialog(ClusterSession *session, QWidget *parent)
    : QDialog(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_topicCombo(new QComboBox(this))
    , m_partitionSpin(new QSpinBox(this))
    , m_keyEdit(new QLineEdit(this))
    , m_nullKeyCheck(new QCheckBox(tr("Null key"), this))
    , m_formatCombo(new QComboBox(this))
    , m_valueEdit(new QPlainTextEdit(this))
    , m_nullValueCheck(new QCheckBox(tr("Null value"), this))
    , m_fileLabel(new QLabel(this))
    , m_fileButton(new QPushButton(tr("C&hoose file…"), this))
    , m_headersTable(new QTableWidget(0, 2, this))
    , m_removeHeaderButton(new QPushButton(tr("Remove"), this))
    , m_countSpin(new QSpinBox(this))
    , m_compressionCombo(new QComboBox(this))
    , m_acksCombo(new QComboBox(this))
    , m_problemLabel(new QLabel(this))
    , m_banner(new ActionProgress(this))
    , m_sendButton(new QPushButton(tr("&Send"), this))
{
    setWindowTitle(tr("Produce Messages — %1").arg(m_hold->name()));
    setMinimumWidth(520);

    m_topicCombo->setObjectName(QStringLiteral("topicCombo"));
    m_topicCombo->setEditable(true);
    m_topicCombo->setInsertPolicy(QComboBox::NoInsert);
    m_partitionSpin->setObjectName(QStringLiteral("partitionSpin"));
    m_partitionSpin->setRange(-1, 1000000);
    m_partitionSpin->setSpecialValueText(tr("automatic"));
    m_partitionSpin->setValue(-1);
    m_keyEdit->setObjectName(QStringLiteral("keyEdit"));
    m_keyEdit->setPlaceholderText(tr("empty key"));
    m_nullKeyCheck->setObjectName(QStringLiteral("nullKeyCheck"));
    m_formatCombo->setObjectName(QStringLiteral("valueFormatCombo"));
    m_formatCombo->addItems({tr("Text"), tr("JSON"), tr("Hex"), tr("Base64"), tr("From file…")});
    m_valueEdit->setObjectName(QStringLiteral("valueEdit"));
    m_valueEdit->setTabChangesFocus(true);
    m_nullValueCheck->setObjectName(QStringLiteral("nullValueCheck"));
    m_fileLabel->setObjectName(QStringLiteral("fileLabel"));
    m_fileButton->setObjectName(QStringLiteral("chooseFileButton"));
    m_headersTable->setObjectName(QStringLiteral("headersTable"));
    m_headersTable->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headersTable->horizontalHeader()->setStretchLastSection(true);
    m_headersTable->verticalHeader()->hide();
    m_headersTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headersTable->setMaximumHeight(110);
    auto *addHeader = new QPushButton(tr("Add header"), this);
    addHeader->setObjectName(QStringLiteral("addHeaderButton"));
    m_removeHeaderButton->setObjectName(QStringLiteral("removeHeaderButton"));
    m_removeHeaderButton->setEnabled(false);
    m_countSpin->setObjectName(QStringLiteral("countSpin"));
    m_countSpin->setRange(1, 1000000);
    m_countSpin->setGroupSeparatorShown(true);
    m_compressionCombo->setObjectName(QStringLiteral("compressionCombo"));
    m_compressionCombo->addItems({QStringLiteral("none"), QStringLiteral("gzip"),
                                  QStringLiteral("snappy"), QStringLiteral("lz4"),
                                  QStringLiteral("zstd")});
    m_acksCombo->setObjectName(QStringLiteral("acksCombo"));
    m_acksCombo->addItem(tr("all"), -1);
    m_acksCombo->addItem(QStringLiteral("1"), 1);
    m_acksCombo->addItem(QStringLiteral("0"), 0);
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_banner->setObjectName(QStringLiteral("resultBanner"));
    m_banner->hide();
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    for (QPushButton *b : {m_fileButton, addHeader, m_removeHeaderButton})
        b->setAutoDefault(false);

    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyEdit, 1);
    keyRow->addWidget(m_nullKeyCheck);
    auto *formatRow = new QHBoxLayout;
    formatRow->addWidget(m_formatCombo);
    formatRow->addWidget(m_nullValueCheck);
    formatRow->addStretch(1);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_fileLabel, 1);
    fileRow->addWidget(m_fileButton);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(m_removeHeaderButton);
    headerButtons->addStretch(1);
    auto *hint =
        new QLabel(tr("{{i}} in the key or value becomes the message number: 0, 1, 2, …"), this);
    hint->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Topic:"), m_topicCombo);
    form->addRow(tr("&Partition:"), m_partitionSpin);
    form->addRow(tr("&Key:"), keyRow);
    form->addRow(tr("&Value:"), formatRow);
    form->addRow(m_valueEdit);
    form->addRow(fileRow);
    form->addRow(tr("&Headers:"), m_headersTable);
    form->addRow(QString(), headerButtons);
    form->addRow(tr("&Count:"), m_countSpin);
    form->addRow(QString(), hint);
    form->addRow(tr("C&ompression:"), m_compressionCombo);
    form->addRow(tr("&Acks:"), m_acksCombo);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_sendButton, QDialogButtonBox::ActionRole);
    m_sendButton->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_problemLabel);
    layout->addWidget(m_banner);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_sendButton, &QPushButton::clicked, this, &ProducerDialog::send);
    connect(m_topicCombo, &QComboBox::currentTextChanged, this, &ProducerDialog::validate);
    connect(m_nullKeyCheck, &QCheckBox::toggled, m_keyEdit, &QWidget::setDisabled);
    connect(m_nullValueCheck, &QCheckBox::toggled, this, &ProducerDialog::formatChanged);
    connect(m_formatCombo, &QComboBox::activated, this, [this] {
        if (format() == Format::File && m_fileName.isEmpty())
            chooseFile();
    });
    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, &ProducerDialog::formatChanged);
    connect(m_valueEdit, &QPlainTextEdit::textChanged, this, &ProducerDialog::validate);
    connect(m_fileButton, &QPushButton::clicked, this, &ProducerDialog::chooseFile);
    connect(m_headersTable, &QTableWidget::itemChanged, this, &ProducerDialog::validate);
    connect(m_headersTable, &QTableWidget::itemSelectionChanged, this, [this] {
        m_removeHeaderButton->setEnabled(!m_headersTable->selectedItems().isEmpty());
    });
    connect(addHeader, &QPushButton::clicked, this, &ProducerDialog::addHeaderRow);
    connect(m_removeHeaderButton, &QPushButton::clicked, this,
            &ProducerDialog::removeSelectedHeaderRows);
    if (!m_hold->hasEnded())
        connect(session, &ClusterSession::metadataChanged, this, &ProducerDialog::fillTopics);
    connect(m_hold, &SessionHold::ended, this, [this] {
        // A send under way was cancelled with the cluster's jobs; its answer never comes.
        if (std::exchange(m_sending, false))
            m_banner->setResult(
                false,
                tr("Not known whether the messages were delivered: %1").arg(m_hold->endedText()));
        validate();
    });

    fillTopics();
    formatChanged();
}

ProducerDialog::Format ProducerDialog::format() const
{
    return Format(m_formatCombo->currentIndex());
}

void ProducerDialog::fillTopics()
{
    const QString current = m_topicCombo->currentText();
    QStringList names;
    if (const ClusterSession *session = m_hold->session())
        for (const TopicInfo &t : session->metadata().topics)
            names.append(t.name);
    names.sort();
    const QSignalBlocker blocker(m_topicCombo);
    m_topicCombo->clear();
    m_topicCombo->addItems(names);
    m_topicCombo->setCurrentText(current);
    validate();
}

void ProducerDialog::setTopic(const QString &topic)
{
    m_topicCombo->setCurrentText(topic);
}

void ProducerDialog::setMessage(const QString &topic, const std::optional<QByteArray> &key,
                                const std::optional<QByteArray> &value,
                                const std::vector<MessageHeader> &headers)
{
    setTopic(topic);
    m_nullKeyCheck->setChecked(!key);
    m_keyEdit->setText(key ? QString::fromUtf8(*key) : QString());
    m_nullValueCheck->setChecked(!value);
    const QByteArray bytes = value.value_or(QByteArray());
    if (!isText(bytes)) {
        m_formatCombo->setCurrentIndex(int(Format::Hex));
        m_valueEdit->setPlainText(QString::fromLatin1(bytes.toHex(' ')));
    } else {
        const QByteArray trimmed = bytes.trimmed();
        const bool json = (trimmed.startsWith('{') || trimmed.startsWith('[')) &&
                          !QJsonDocument::fromJson(bytes).isNull();
        m_formatCombo->setCurrentIndex(int(json ? Format::Json : Format::Text));
        m_valueEdit->setPlainText(QString::fromUtf8(bytes));
    }
    m_headersTable->setRowCount(0);
    for (const MessageHeader &h : headers) {
        const int row = m_headersTable->rowCount();
        const QSignalBlocker blocker(m_headersTable);
        m_headersTable->insertRow(row);
        m_headersTable->setItem(row, 0, new QTableWidgetItem(QString::fromUtf8(h.name)));
        m_headersTable->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(h.value)));
    }
    validate();
}

void ProducerDialog::setMessage(const QString &topic, const QByteArray &key,
                                const QByteArray &value, const QList<MessageHeader> &headers)
{
    const auto orNull = [](const QByteArray &b) {
        return b.isNull() ? std::nullopt : std::optional<QByteArray>(b);
    };
    setMessage(topic, orNull(key), orNull(value),
               std::vector<MessageHeader>(headers.cbegin(), headers.cend()));
}

bool ProducerDialog::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_fileName.clear();
        m_fileBytes.clear();
        m_fileLabel->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
    } else {
        m_fileBytes = file.readAll();
        m_fileName = QFileInfo(path).fileName();
        m_fileLabel->setText(
            tr("%1 (%2)").arg(m_fileName, QLocale().formattedDataSize(m_fileBytes.size())));
    }
    m_formatCombo->setCurrentIndex(int(Format::File));
    validate();
    return !m_fileName.isEmpty();
}

void ProducerDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Message Value"));
    if (!path.isEmpty())
        loadFile(path);
}

void ProducerDialog::formatChanged()
{
    const bool file = format() == Format::File;
    const bool null = m_nullValueCheck->isChecked();
    m_valueEdit->setVisible(!file);
    m_valueEdit->setEnabled(!null);
    m_formatCombo->setEnabled(!null);
    m_fileLabel->setVisible(file);
    m_fileButton->setVisible(file);
    m_fileButton->setEnabled(!null);
    if (file && m_fileName.isEmpty() && m_fileLabel->text().isEmpty())
        m_fileLabel->setText(tr("No file chosen."));
    validate();
}

void ProducerDialog::addHeaderRow()
{
    const int row = m_headersTable->rowCount();
    {
        const QSignalBlocker blocker(m_headersTable);
        m_headersTable->insertRow(row);
        m_headersTable->setItem(row, 0, new QTableWidgetItem);
        m_headersTable->setItem(row, 1, new QTableWidgetItem);
    }
    validate();
    m_headersTable->setCurrentCell(row, 0);
    m_headersTable->editItem(m_headersTable->item(row, 0));
}

void ProducerDialog::removeSelectedHeaderRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headersTable->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows)
        m_headersTable->removeRow(row);
    validate();
}

QString ProducerDialog::valueProblem() const
{
    if (m_nullValueCheck->isChecked())
        return {};
    const QString text = m_valueEdit->toPlainText();
    switch (format()) {
    case Format::Text:
        return {};
    case Format::Json: {
        // {{i}} stands for a number, so {"n": {{i}}} is fine.
        QString numbered = text;
        numbered.replace(QStringLiteral("{{i}}"), QStringLiteral("0"));
        QJsonParseError error;
        QJsonDocument::fromJson(numbered.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError)
            return {};
        return tr("Invalid JSON at character %1: %2").arg(error.offset).arg(error.errorString());
    }
    case Format::Hex: {
        static const QRegularExpression hex(QStringLiteral("^([0-9A-Fa-f]{2})*$"));
        return hex.match(withoutSpaces(text)).hasMatch()
                   ? QString()
                   : tr("Hex needs pairs of hex digits, e.g. \"00 ff 10\".");
    }
    case Format::Base64: {
        const auto decoded = QByteArray::fromBase64Encoding(
            withoutSpaces(text).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        return decoded ? QString() : tr("The value is not valid Base64.");
    }
    case Format::File:
        return m_fileName.isEmpty() ? tr("Choose a file for the value.") : QString();
    }
    return {};
}

void ProducerDialog::validate()
{
    m_problem.clear();
    if (m_hold->hasEnded())
        m_problem = m_hold->endedText();
    else if (m_topicCombo->currentText().trimmed().isEmpty())
        m_problem = tr("Choose a topic.");
    else
        m_problem = valueProblem();
    for (int row = 0; m_problem.isEmpty() && row < m_headersTable->rowCount(); ++row) {
        const QTableWidgetItem *name = m_headersTable->item(row, 0);
        if (!name || name->text().isEmpty())
            m_problem = tr("A header has no name.");
    }
    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
    m_sendButton->setEnabled(m_problem.isEmpty() && !m_sending);
}

QByteArray ProducerDialog::valueBytes() const
{
    const QString text = m_valueEdit->toPlainText();
    switch (format()) {
    case Format::Hex:
        return QByteArray::fromHex(withoutSpaces(text).toLatin1());
    case Format::Base64:
        return QByteArray::fromBase64(withoutSpaces(text).toLatin1());
    case Format::File:
        return m_fileBytes;
    case Format::Text:
    case Format::Json:
        break;
    }
    return text.toUtf8();
}

OutgoingMessage ProducerDialog::message() const
{
    OutgoingMessage m;
    if (!m_nullKeyCheck->isChecked())
        m.key = m_keyEdit->text().toUtf8();
    if (!m_nullValueCheck->isChecked())
        m.value = valueBytes();
    for (int row = 0; row < m_headersTable->rowCount(); ++row) {
        const QTableWidgetItem *value = m_headersTable->item(row, 1);
        m.headers.push_back({m_headersTable->item(row, 0)->text().toUtf8(),
                             value ? value->text().toUtf8() : QByteArray(), false});
    }
    return m;
}

void ProducerDialog::send()
{
    validate();
    if (!m_problem.isEmpty() || m_sending || !m_hold->client())
        return;
    if (!m_producer) {
        m_producer = new Producer(m_hold->client(), Producer::DefaultTimeoutMs, this);
        // A broker that cannot be reached, or a failed login, shows while the send runs.
        connect(m_producer, &Producer::problem, this, [this](const QString &text) {
            if (m_sending)
                m_banner->setBusy(tr("Still sending: %1").arg(text));
        });
    }
    const QString topic = m_topicCombo->currentText().trimmed();
    const int count = m_countSpin->value();
    OutgoingMessage m = message();
    // Decoded bytes are not text, so {{i}} numbering applies to them only by accident.
    const bool binary =
        format() == Format::Hex || format() == Format::Base64 || format() == Format::File;
    std::optional<QByteArray> rawValue;
    if (binary)
        std::swap(rawValue, m.value);
    QList<OutgoingMessage> messages = Producer::makeNumbered(m, count);
    if (binary)
        for (OutgoingMessage &each : messages)
            each.value = rawValue;
    ProduceOptions options;
    options.partition = m_partitionSpin->value();
    options.compression = m_compressionCombo->currentText();
    options.acks = m_acksCombo->currentData().toInt();

    m_sending = true;
    validate();
    m_banner->setBusy(count == 1 ? tr("Sending 1 message…")
                                 : tr("Sending %1 messages…").arg(groupedNumber(count)));
    m_producer->produce(topic, std::move(messages), options)
        .then(this, [this, topic, count](const Result<QList<Delivery>> &r) {
            m_sending = false;
            validate();
            report(topic, count, r);
        });
}

void ProducerDialog::report(const QString &topic, int count, const Result<QList<Delivery>> &r)
{
    if (!r.ok()) {
        if (ClusterSession *session = m_hold->session())
            session->countError();
        m_banner->setResult(false, tr("Sending failed: %1").arg(r.error.message));
        return;
    }
    int delivered = 0;
    QList<int> partitions;
    QString firstError;
    for (const Delivery &d : r.value) {
        if (d.ok()) {
            ++delivered;
            if (!partitions.contains(d.partition))
                partitions.append(d.partition);
        } else if (firstError.isEmpty()) {
            firstError = d.error;
        }
    }
    const int failed = count - delivered;
    QString text;
    if (count == 1 && delivered == 1) {
        text = tr("Delivered to partition %1 at offset %2")
                   .arg(r.value.first().partition)
                   .arg(r.value.first().offset);
    } else if (count == 1) {
        text = tr("Not delivered: %1").arg(firstError);
    } else {
        std::sort(partitions.begin(), partitions.end());
        QStringList names;
        for (int p : partitions)
            names.append(QString::number(p));
        const QString list = names.join(QStringLiteral(", "));
        if (!delivered)
            text = tr("None delivered");
        else if (names.size() == 1)
            text = tr("%1 delivered to partition %2").arg(groupedNumber(delivered), list);
        else
            text = tr("%1 delivered to partitions %2").arg(groupedNumber(delivered), list);
        if (failed)
            text += tr("; %1 failed: %2").arg(groupedNumber(failed), firstError);
    }
    if (ClusterSession *session = m_hold->session(); session && failed)
        session->countError();
    m_banner->setResult(failed == 0, text);
    if (delivered)
        Q_EMIT sent(topic);
}

} // namespace periscope::widgets
