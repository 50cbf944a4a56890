#include "groups/resetoffsetsdialog.h"

#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "groups/resetplanmodel.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace periscope::widgets {

using namespace client;
using monitor::ResetMode;

namespace {

using PartitionKey = QPair<QString, int>;

QHash<PartitionKey, qsizetype> indexOf(const QList<monitor::ResetTarget> &targets)
{
    QHash<PartitionKey, qsizetype> out;
    out.reserve(targets.size());
    for (qsizetype i = 0; i < targets.size(); ++i)
        out.insert({targets[i].topic, targets[i].partition}, i);
    return out;
}

// The edit shows seconds; milliseconds it keeps but hides must not move the time.
qint64 wholeSeconds(const QDateTime &when)
{
    return when.toSecsSinceEpoch() * 1000;
}

} // namespace

ResetOffsetsDialog::ResetOffsetsDialog(ClusterSession *session, const QString &group,
                                       const QStringList &groupTopics, QWidget *parent)
    : QDialog(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_group(group)
    , m_wholeGroup(new QRadioButton(tr("Every partition the group has committed"), this))
    , m_oneTopic(new QRadioButton(tr("One topic:"), this))
    , m_somePartitions(new QRadioButton(this))
    , m_topic(new QComboBox(this))
    , m_partitionsLabel(new QLabel(this))
    , m_mode(new QComboBox(this))
    , m_value(new QLineEdit(this))
    , m_when(new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), this))
    , m_planModel(new models::ResetPlanModel(this))
    , m_table(new QTableView(this))
    , m_message(new QLabel(this))
    , m_previewButton(new QPushButton(tr("Preview"), this))
    , m_applyButton(new QPushButton(tr("Write offsets"), this))
{
    setWindowTitle(tr("Reset offsets of %1").arg(group));
    setObjectName(QStringLiteral("resetOffsetsDialog"));
    resize(760, 520);
    m_mode->setObjectName(QStringLiteral("modeCombo"));
    m_value->setObjectName(QStringLiteral("valueEdit"));
    m_when->setObjectName(QStringLiteral("whenEdit"));
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_message->setObjectName(QStringLiteral("resetMessage"));
    m_previewButton->setObjectName(QStringLiteral("previewButton"));
    m_applyButton->setObjectName(QStringLiteral("applyButton"));

    // The group's own topics first, then the rest of the cluster's.
    QStringList topics = groupTopics;
    if (session)
        for (const TopicInfo &t : session->metadata().topics)
            if (!t.internal && !topics.contains(t.name))
                topics.append(t.name);
    m_topic->addItems(topics);
    m_wholeGroup->setChecked(true);
    m_somePartitions->hide();
    m_partitionsLabel->hide();
    for (ResetMode mode : {ResetMode::Earliest, ResetMode::Latest, ResetMode::Offset,
                           ResetMode::DateTime, ResetMode::Shift})
        m_mode->addItem(monitor::resetModeName(mode), int(mode));
    m_value->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[+-]?\\d{1,18}")), this));
    m_when->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_when->setCalendarPopup(true);
    m_when->setMinimumDateTime(QDateTime::fromSecsSinceEpoch(0));

    configureTable(m_table, m_planModel);
    m_table->setSortingEnabled(false); // the plan's own order: by topic, then partition
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Fixed widths: measuring contents would visit every row of a large group's plan.
    m_table->setColumnWidth(models::ResetPlanModel::Topic, 180);
    m_table->setColumnWidth(models::ResetPlanModel::Partition, 80);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_message->setWordWrap(true);
    m_applyButton->setEnabled(false);
    // Enter previews; only a click on Write writes.
    m_previewButton->setDefault(true);
    m_applyButton->setAutoDefault(false);

    auto *scope = new QVBoxLayout;
    scope->addWidget(m_wholeGroup);
    auto *topicRow = new QHBoxLayout;
    topicRow->addWidget(m_oneTopic);
    topicRow->addWidget(m_topic, 1);
    scope->addLayout(topicRow);
    auto *partsRow = new QHBoxLayout;
    partsRow->addWidget(m_somePartitions);
    partsRow->addWidget(m_partitionsLabel, 1);
    scope->addLayout(partsRow);
    auto *target = new QHBoxLayout;
    target->addWidget(m_mode);
    target->addWidget(m_value, 1);
    target->addWidget(m_when, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Partitions:"), scope);
    form->addRow(tr("Move to:"), target);
    // Preview, then Write, in reading order: the write only ever follows a preview.
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    QPushButton *cancel = m_cancelButton;
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_previewButton);
    buttons->addWidget(m_applyButton);
    buttons->addWidget(cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);

    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_previewButton, &QPushButton::clicked, this, &ResetOffsetsDialog::preview);
    connect(m_applyButton, &QPushButton::clicked, this, &ResetOffsetsDialog::apply);
    for (QRadioButton *b : {m_wholeGroup, m_oneTopic, m_somePartitions})
        connect(b, &QRadioButton::toggled, this, &ResetOffsetsDialog::invalidate);
    connect(m_topic, &QComboBox::currentIndexChanged, this, [this] {
        m_oneTopic->setChecked(true);
        invalidate();
    });
    connect(m_mode, &QComboBox::currentIndexChanged, this, &ResetOffsetsDialog::invalidate);
    connect(m_value, &QLineEdit::textChanged, this, &ResetOffsetsDialog::invalidate);
    connect(m_when, &QDateTimeEdit::dateTimeChanged, this, &ResetOffsetsDialog::invalidate);
    connect(m_hold, &SessionHold::ended, this, [this] {
        // A write out was cancelled with the cluster's jobs: whether it reached the broker
        // is unknown, and the dialog must be closable again.
        const bool wasWriting = m_writing;
        ++m_generation;
        setWriting(false);
        m_applyButton->setEnabled(false);
        m_previewButton->setEnabled(false);
        setMessage(wasWriting ? tr("%1 Whether the offsets were written is not known: check "
                                   "the group after connecting again.")
                                    .arg(m_hold->endedText())
                              : m_hold->endedText(),
                   true);
    });
    updateInputs();
    setMessage(tr("Choose the partitions and where to move them, then Preview. Nothing is "
                  "written before you press Write."),
               false);
    if (m_hold->hasEnded()) {
        m_previewButton->setEnabled(false);
        setMessage(m_hold->endedText(), true);
    }
}

void ResetOffsetsDialog::setScope(const QString &topic, const QList<int> &partitions)
{
    if (topic.isEmpty()) {
        m_wholeGroup->setChecked(true);
        return;
    }
    if (m_topic->findText(topic) < 0)
        m_topic->addItem(topic);
    m_topic->setCurrentText(topic);
    if (partitions.isEmpty()) {
        m_oneTopic->setChecked(true);
        return;
    }
    m_partitions = partitions;
    m_partitionsTopic = topic;
    QStringList names;
    for (int p : partitions)
        names.append(QString::number(p));
    m_somePartitions->setText(tr("Chosen partitions:"));
    m_partitionsLabel->setText(tr("%1 %2").arg(topic, names.join(QLatin1String(", "))));
    m_somePartitions->show();
    m_partitionsLabel->show();
    m_somePartitions->setChecked(true);
}

void ResetOffsetsDialog::setMode(ResetMode mode, qint64 value)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
    m_value->setText(QString::number(value));
}

void ResetOffsetsDialog::setDateTime(const QDateTime &when)
{
    m_mode->setCurrentIndex(m_mode->findData(int(ResetMode::DateTime)));
    m_when->setDateTime(when);
}

QString ResetOffsetsDialog::message() const
{
    return m_message->text();
}

void ResetOffsetsDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828") : QString());
}

void ResetOffsetsDialog::updateInputs()
{
    const auto mode = ResetMode(m_mode->currentData().toInt());
    m_value->setVisible(mode == ResetMode::Offset || mode == ResetMode::Shift);
    m_when->setVisible(mode == ResetMode::DateTime);
    m_value->setPlaceholderText(mode == ResetMode::Shift ? tr("+N forward, -N back")
                                                         : tr("offset"));
}

void ResetOffsetsDialog::invalidate()
{
    ++m_generation;
    m_plan.clear();
    m_planModel->setPlan({});
    m_applyButton->setEnabled(false);
    m_applyButton->setText(tr("Write offsets"));
    setMessage(tr("Preview to see current → new for every partition."), false);
    updateInputs();
}

void ResetOffsetsDialog::reject()
{
    if (!m_writing)
        QDialog::reject();
}

void ResetOffsetsDialog::setWriting(bool writing)
{
    m_writing = writing;
    // While the write is out nothing may change what it writes, nor close the dialog on it.
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_wholeGroup, m_oneTopic, m_somePartitions, m_topic,
                                          m_mode, m_value, m_when, m_previewButton, m_cancelButton})
        w->setEnabled(!writing);
}

QMap<QString, QList<int>>
ResetOffsetsDialog::scopePartitions(const QList<GroupOffset> &committed) const
{
    QMap<QString, QList<int>> out;
    if (m_somePartitions->isChecked()) {
        out.insert(m_partitionsTopic, m_partitions);
    } else if (m_oneTopic->isChecked()) {
        const QString topic = m_topic->currentText();
        const ClusterSession *session = m_hold->session();
        if (const TopicInfo *t = session ? session->topic(topic) : nullptr;
            t && !t->partitions.isEmpty()) {
            QList<int> &parts = out[topic];
            for (const PartitionInfo &p : t->partitions)
                parts.append(p.id);
        }
        // A topic the metadata does not know yet: the partitions the group committed.
        if (!out.contains(topic))
            for (const GroupOffset &o : committed)
                if (o.topic == topic)
                    out[topic].append(o.partition);
    } else {
        for (const GroupOffset &o : committed)
            if (o.offset >= 0)
                out[o.topic].append(o.partition);
    }
    return out;
}

void ResetOffsetsDialog::whenEmpty(std::function<void()> next, std::function<void()> refused)
{
    ClusterClient *client = clientOrSay();
    if (!client) {
        if (refused)
            refused();
        return;
    }
    const quint64 generation = m_generation;
    client->describeGroups({m_group}).then(
        this, [this, generation, next = std::move(next),
               refused = std::move(refused)](const Result<QList<GroupDescription>> &r) {
            if (generation != m_generation)
                return;
            if (!r.ok() || r.value.isEmpty()) {
                setMessage(tr("Could not read the state of %1: %2")
                               .arg(m_group, r.ok() ? tr("no answer") : r.error.message),
                           true);
                if (refused)
                    refused();
                return;
            }
            const GroupDescription &d = r.value.constFirst();
            // Dead: the group does not exist (any more); committing offsets creates it.
            if (d.state != QLatin1String("Empty") && d.state != QLatin1String("Dead")) {
                setMessage(tr("Group %1 is %2 with %n member(s). Kafka changes a group's offsets "
                              "only while it is Empty: stop its consumers, wait until the group "
                              "is Empty, then preview again. Nothing was written.",
                              nullptr, int(d.members.size()))
                               .arg(m_group, d.state),
                           true);
                if (refused)
                    refused();
                return;
            }
            next();
        });
}

void ResetOffsetsDialog::preview()
{
    invalidate();
    const quint64 generation = m_generation;
    const auto mode = ResetMode(m_mode->currentData().toInt());
    if ((mode == ResetMode::Offset || mode == ResetMode::Shift) && !m_value->hasAcceptableInput()) {
        setMessage(mode == ResetMode::Shift ? tr("Type a shift such as +100 or -5.")
                                            : tr("Type the offset to move to."),
                   true);
        return;
    }
    setMessage(tr("Reading the group and its partitions…"), false);
    whenEmpty([this, generation, mode] {
        ClusterClient *client = clientOrSay();
        if (!client)
            return;
        client->groupOffsets(m_group).then(this, [this, generation, mode](
                                                     const Result<QList<GroupOffset>> &committed) {
            if (generation != m_generation)
                return;
            if (!committed.ok()) {
                setMessage(
                    tr("Could not read the committed offsets: %1").arg(committed.error.message),
                    true);
                return;
            }
            QMap<QString, QList<int>> scope = scopePartitions(committed.value);
            scope.removeIf([](const auto &entry) { return entry.value().isEmpty(); });
            if (scope.isEmpty()) {
                setMessage(tr("The group has no committed offsets: choose a topic."), true);
                return;
            }
            QMap<QString, int> counts;
            for (auto it = scope.cbegin(); it != scope.cend(); ++it)
                counts[it.key()] = *std::max_element(it->cbegin(), it->cend()) + 1;
            // Lookups by partition: a group may have tens of thousands of them.
            QHash<PartitionKey, qint64> current;
            for (const GroupOffset &o : committed.value)
                current.insert({o.topic, o.partition}, o.offset);
            QList<monitor::ResetTarget> targets;
            for (auto it = scope.cbegin(); it != scope.cend(); ++it) {
                for (int p : *it) {
                    monitor::ResetTarget t{it.key(), p};
                    t.current = current.value({t.topic, p}, -1);
                    targets.append(t);
                }
            }
            ClusterClient *again = clientOrSay();
            if (!again)
                return;
            again->offsets(counts).then(
                this, [this, generation, mode, scope,
                       targets](const Result<QList<PartitionOffsets>> &ends) mutable {
                    if (generation != m_generation)
                        return;
                    if (!ends.ok()) {
                        setMessage(tr("Could not read the log offsets: %1").arg(ends.error.message),
                                   true);
                        return;
                    }
                    const QHash<PartitionKey, qsizetype> where = indexOf(targets);
                    for (const PartitionOffsets &o : ends.value)
                        if (const qsizetype i = where.value({o.topic, o.partition}, -1);
                            i >= 0 && o.error.isEmpty()) {
                            targets[i].start = o.start;
                            targets[i].end = o.end;
                        }
                    if (mode != ResetMode::DateTime) {
                        showPlan(targets);
                        return;
                    }
                    ClusterClient *atTime = clientOrSay();
                    if (!atTime)
                        return;
                    atTime->offsetsAtTime(scope, wholeSeconds(m_when->dateTime()))
                        .then(this, [this, generation,
                                     targets](const Result<QList<GroupOffset>> &at) mutable {
                            if (generation != m_generation)
                                return;
                            if (!at.ok()) {
                                setMessage(tr("Could not look up offsets by time: %1")
                                               .arg(at.error.message),
                                           true);
                                return;
                            }
                            // A partition the lookup failed for (or skipped) must not
                            // read as "nothing after the time": that writes its end.
                            QList<bool> found(targets.size(), false);
                            const QHash<PartitionKey, qsizetype> index = indexOf(targets);
                            for (const GroupOffset &o : at.value)
                                if (const qsizetype i = index.value({o.topic, o.partition}, -1);
                                    i >= 0 && o.error.isEmpty()) {
                                    targets[i].atTime = o.offset;
                                    found[i] = true;
                                }
                            for (qsizetype i = 0; i < targets.size(); ++i)
                                if (!found[i])
                                    targets[i].start = targets[i].end = -1;
                            showPlan(targets);
                        });
                });
        });
    });
}

void ResetOffsetsDialog::showPlan(const QList<monitor::ResetTarget> &targets)
{
    const auto mode = ResetMode(m_mode->currentData().toInt());
    m_plan = monitor::planReset(targets, mode, m_value->text().toLongLong());
    m_planModel->setPlan(m_plan);
    const auto writes =
        std::count_if(m_plan.cbegin(), m_plan.cend(), [](const auto &s) { return s.next >= 0; });
    if (writes == 0) {
        setMessage(tr("Nothing to write for these partitions."), true);
        return;
    }
    m_applyButton->setText(tr("Write %n offset(s)", nullptr, int(writes)));
    m_applyButton->setEnabled(true);
    setMessage(tr("Check current → new above. Write commits exactly these offsets for group %1.")
                   .arg(m_group),
               false);
}

void ResetOffsetsDialog::apply()
{
    if (m_plan.isEmpty() || !m_applyButton->isEnabled())
        return;
    QList<GroupOffset> offsets;
    for (const monitor::ResetStep &s : std::as_const(m_plan))
        if (s.next >= 0)
            offsets.append({s.topic, s.partition, s.next, QString(), QString()});
    // Write stays disabled until the next preview: a refusal means the group changed since.
    m_applyButton->setEnabled(false);
    setWriting(true);
    setMessage(tr("Writing %n offset(s)…", nullptr, int(offsets.size())), false);
    whenEmpty(
        [this, offsets] {
            ClusterClient *client = clientOrSay();
            if (!client) {
                setWriting(false);
                return;
            }
            client->alterGroupOffsets(m_group, offsets)
                .then(this,
                      [this, count = int(offsets.size())](const Result<QList<GroupOffset>> &r) {
                          setWriting(false);
                          QString error = r.ok() ? QString() : r.error.message;
                          for (const GroupOffset &o : r.value)
                              if (error.isEmpty() && !o.error.isEmpty())
                                  error = tr("%1 partition %2: %3")
                                              .arg(o.topic)
                                              .arg(o.partition)
                                              .arg(o.error);
                          if (!error.isEmpty()) {
                              setMessage(tr("Kafka refused the reset: %1").arg(error), true);
                              return;
                          }
                          Q_EMIT applied(m_group, count);
                          accept();
                      });
        },
        [this] { setWriting(false); });
}

ClusterClient *ResetOffsetsDialog::clientOrSay()
{
    ClusterClient *client = m_hold->client();
    if (!client)
        setMessage(m_hold->endedText(), true);
    return client;
}

} // namespace periscope::widgets
