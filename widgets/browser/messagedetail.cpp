#include "browser/messagedetail.h"

#include "browser/jsonhighlighter.h"
#include "browser/jsontree.h"
#include "jobs/localpool.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace periscope::widgets {

using models::MessageFormat;
using models::MessageFormatter;

namespace {
// Values above this are rendered off the GUI thread.
constexpr qsizetype kInlineRenderBytes = 256 * 1024;

QComboBox *formatCombo(QWidget *parent, const char *name)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QString::fromLatin1(name));
    for (MessageFormat f : {MessageFormat::Auto, MessageFormat::Text, MessageFormat::Json,
                            MessageFormat::Hex, MessageFormat::Base64})
        combo->addItem(MessageFormatter::formatName(f), int(f));
    return combo;
}

QPlainTextEdit *viewer(QWidget *parent, const char *name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(QString::fromLatin1(name));
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}
} // namespace

MessageDetail::MessageDetail(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_keyFormat(formatCombo(this, "keyFormat"))
    , m_valueFormat(formatCombo(this, "valueFormat"))
    , m_key(viewer(this, "keyView"))
    , m_value(viewer(this, "valueView"))
    , m_tree(new QTreeWidget(this))
    , m_treeToggle(new QCheckBox(tr("Tree"), this))
    , m_valueStack(new QStackedWidget(this))
    , m_highlighter(new JsonHighlighter(m_value->document()))
    , m_valueNote(new QLabel(this))
    , m_wholeValue(new QPushButton(tr("Load the whole value"), this))
    , m_headers(new QTableWidget(0, 2, this))
{
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_key->setMaximumBlockCount(0);
    m_key->setFixedHeight(m_key->fontMetrics().height() * 3);
    m_headers->setObjectName(QStringLiteral("headersView"));
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto row = [this](const QString &label, QComboBox *combo) {
        auto *l = new QHBoxLayout;
        l->addWidget(new QLabel(label, this));
        l->addStretch(1);
        l->addWidget(combo);
        return l;
    };
    auto *valueBox = new QWidget(this);
    auto *valueLayout = new QVBoxLayout(valueBox);
    valueLayout->setContentsMargins(0, 0, 0, 0);
    auto *valueHeader = row(tr("Value"), m_valueFormat);
    valueHeader->insertWidget(2, m_treeToggle);
    valueLayout->addLayout(valueHeader);
    m_tree->setObjectName(QStringLiteral("valueTree"));
    m_tree->setHeaderLabels({tr("Field"), tr("Value")});
    m_tree->setUniformRowHeights(true);
    m_treeToggle->setObjectName(QStringLiteral("treeToggle"));
    m_treeToggle->setToolTip(tr("Show JSON as a tree you can fold"));
    m_valueStack->addWidget(m_value);
    m_valueStack->addWidget(m_tree);
    valueLayout->addWidget(m_valueStack, 1);
    auto *noteRow = new QHBoxLayout;
    noteRow->addWidget(m_valueNote, 1);
    noteRow->addWidget(m_wholeValue);
    valueLayout->addLayout(noteRow);
    m_wholeValue->setObjectName(QStringLiteral("wholeValueButton"));
    m_wholeValue->hide();
    connect(m_wholeValue, &QPushButton::clicked, this, [this] {
        m_wholeValue->setEnabled(false);
        m_wholeValue->setText(tr("Loading…"));
        Q_EMIT wholeValueRequested(m_partition, m_offset);
    });
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(valueBox);
    split->addWidget(m_headers);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(row(tr("Key"), m_keyFormat));
    layout->addWidget(m_key);
    layout->addWidget(split, 1);
    connect(m_keyFormat, &QComboBox::currentIndexChanged, this, &MessageDetail::renderKey);
    connect(m_valueFormat, &QComboBox::currentIndexChanged, this, &MessageDetail::renderValue);
    connect(m_treeToggle, &QCheckBox::toggled, this, &MessageDetail::renderValue);
    clear();
}

void MessageDetail::clear()
{
    m_title->setText(tr("Select a message to see it here."));
    m_key->clear();
    m_value->clear();
    m_valueNote->clear();
    m_wholeValue->hide();
    m_headers->setRowCount(0);
}

void MessageDetail::showMessage(const client::MessageRecord &r, const QByteArray &key,
                                const QByteArray &value,
                                const QList<client::MessageHeader> &headers)
{
    // Deep copies: the batch behind the model may go (live tail) while this shows.
    m_keyBytes = QByteArray(key.constData(), key.size());
    m_keyNull = key.isNull();
    m_valueBytes = QByteArray(value.constData(), value.size());
    m_valueNull = value.isNull();
    const QString time =
        r.timestamp >= 0 ? QDateTime::fromMSecsSinceEpoch(r.timestamp).toString(Qt::ISODateWithMs)
                         : tr("no timestamp");
    QString title = tr("Partition %1 · offset %2 · %3").arg(r.partition).arg(r.offset).arg(time);
    if (r.flags & 1)
        title +=
            QStringLiteral(" · ") +
            tr("value truncated to %L1 of %L2 bytes").arg(value.size()).arg(r.originalValueLength);
    m_title->setText(title);
    m_partition = r.partition;
    m_offset = r.offset;
    m_wholeValue->setVisible(r.flags & 1);
    m_wholeValue->setEnabled(true);
    m_wholeValue->setText(tr("Load the whole value"));
    m_headers->setRowCount(int(headers.size()));
    for (int i = 0; i < headers.size(); ++i) {
        const auto &h = headers[i];
        m_headers->setItem(i, 0, new QTableWidgetItem(MessageFormatter::escapedText(h.name)));
        auto *v = new QTableWidgetItem(h.isNull ? QStringLiteral("null")
                                                : MessageFormatter::escapedText(h.value));
        if (h.isNull)
            v->setForeground(palette().placeholderText());
        m_headers->setItem(i, 1, v);
    }
    renderKey();
    renderValue();
}

void MessageDetail::renderKey()
{
    const auto r = MessageFormatter::render(m_keyBytes, m_keyNull,
                                            MessageFormat(m_keyFormat->currentData().toInt()));
    m_key->setPlainText(r.note.isEmpty() ? r.text : r.text + QStringLiteral("\n— ") + r.note);
}

void MessageDetail::renderValue()
{
    const auto format = MessageFormat(m_valueFormat->currentData().toInt());
    const quint64 serial = ++m_renderSerial;
    auto show = [this](const models::RenderedBytes &r) { showRendered(r); };
    if (m_valueBytes.size() <= kInlineRenderBytes) {
        show(MessageFormatter::render(m_valueBytes, m_valueNull, format));
        return;
    }
    m_value->setPlainText(tr("Rendering %L1 bytes…").arg(m_valueBytes.size()));
    m_valueNote->clear();
    // A newer message or format makes this rendering useless: cancelled, never shown.
    m_rendering.cancel();
    m_rendering = jobs::localPool().submit(
        [bytes = m_valueBytes, isNull = m_valueNull, format](const jobs::JobToken &) {
            return MessageFormatter::render(bytes, isNull, format);
        });
    m_rendering.then(this, [this, serial, show](const models::RenderedBytes &r) {
        if (m_renderSerial == serial)
            show(r);
    });
}

void MessageDetail::showRendered(const models::RenderedBytes &r)
{
    const bool json = r.format == MessageFormat::Json && r.note.isEmpty();
    m_highlighter->setEnabled(json);
    m_treeToggle->setEnabled(json);
    m_value->setPlainText(r.text);
    m_valueNote->setText(r.note);
    if (json && m_treeToggle->isChecked()) {
        // The pretty text parses again cheaply; values this large came through the worker.
        const QJsonDocument doc = QJsonDocument::fromJson(r.text.toUtf8());
        fillJsonTree(m_tree, doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        m_valueStack->setCurrentWidget(m_tree);
    } else {
        m_valueStack->setCurrentWidget(m_value);
    }
}

QString MessageDetail::valueText() const
{
    return m_value->toPlainText();
}

} // namespace periscope::widgets
