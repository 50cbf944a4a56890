#include "topics/topicactions.h"

#include "browser/producerdialog.h"
#include "client/messageimport.h"
#include "common/actionprogress.h"
#include "topics/addpartitionsdialog.h"
#include "topics/createtopicdialog.h"
#include "topics/deletetopicdialog.h"
#include "topics/editconfigdialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QWidget>

namespace periscope::widgets {

using namespace client;

namespace {
// The first failing item's error, or none.
ClientError firstError(const Result<QList<ItemResult>> &r)
{
    if (!r.ok())
        return r.error;
    for (const ItemResult &item : r.value)
        if (item.error.isError())
            return item.error;
    return {};
}
} // namespace

TopicActions::TopicActions(SessionHold *hold, ActionProgress *progress, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_hold(hold)
    , m_progress(progress)
    , m_parent(dialogParent)
{
    if (m_progress)
        connect(m_progress, &ActionProgress::cancelRequested, this, [this] {
            // Only a file still being read can be taken back; sent messages are sent.
            if (m_reading.isFinished() || m_reading.isCancelled())
                return;
            m_reading.cancel();
            m_progress->setResult(false, tr("Import cancelled: nothing was sent."));
        });
}

qint64 TopicActions::messagesOf(const QString &topic) const
{
    qint64 n = 0;
    if (const ClusterSession *session = m_hold->session())
        for (const PartitionOffsets &o : session->offsets())
            if (o.topic == topic)
                n += o.messages();
    return n;
}

ClusterClient *TopicActions::clientOrSay()
{
    ClusterClient *client = m_hold->client();
    if (!client && m_progress)
        m_progress->setResult(false, m_hold->endedText());
    return client;
}

void TopicActions::finish(bool ok, const QString &message, const QString &topic)
{
    if (ClusterSession *session = m_hold->session(); session && !ok)
        session->countError();
    if (m_progress)
        m_progress->setResult(ok, message);
    if (ok)
        Q_EMIT changed(topic);
}

void TopicActions::createTopic()
{
    if (!allowed())
        return;
    const ClusterSession *session = m_hold->session();
    if (!session)
        return;
    CreateTopicDialog dialog(m_parent);
    dialog.setBrokerCount(std::max(1, int(session->metadata().brokers.size())));
    QStringList names;
    for (const TopicInfo &t : session->metadata().topics)
        names.append(t.name);
    dialog.setExistingNames(names);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // The session may have ended while the dialog was open.
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    const NewTopic topic = dialog.newTopic();
    if (m_progress)
        m_progress->setBusy(tr("Creating topic %1…").arg(topic.name));
    client->createTopics({topic}).then(
        this, [this, name = topic.name](const Result<QList<ItemResult>> &r) {
            const ClientError e = firstError(r);
            finish(!e.isError(),
                   e.isError() ? tr("Creating %1 failed: %2").arg(name, e.message)
                               : tr("Topic %1 created.").arg(name),
                   name);
        });
}

void TopicActions::deleteTopic(const QString &topic)
{
    const ClusterSession *session = m_hold->session();
    const TopicInfo *info = session ? session->topic(topic) : nullptr;
    if (!allowed() || !info)
        return;
    const int partitions = int(info->partitions.size()); // info goes with the next refresh
    DeleteTopicDialog dialog(DeleteTopicDialog::Mode::Delete, m_parent);
    dialog.setTopic(topic, partitions, messagesOf(topic));
    if (dialog.exec() != QDialog::Accepted || !dialog.confirmed())
        return;
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    if (m_progress)
        m_progress->setBusy(tr("Deleting topic %1…").arg(topic));
    client->deleteTopics({topic}).then(this, [this, topic](const Result<QList<ItemResult>> &r) {
        const ClientError e = firstError(r);
        finish(!e.isError(),
               e.isError() ? tr("Deleting %1 failed: %2").arg(topic, e.message)
                           : tr("Topic %1 deleted.").arg(topic),
               topic);
    });
}

void TopicActions::addPartitions(const QString &topic)
{
    const ClusterSession *session = m_hold->session();
    const TopicInfo *info = session ? session->topic(topic) : nullptr;
    if (!allowed() || !info)
        return;
    const int partitions = int(info->partitions.size()); // info goes with the next refresh
    AddPartitionsDialog dialog(m_parent);
    dialog.setTopic(topic, partitions);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    const int total = dialog.newTotal();
    if (m_progress)
        m_progress->setBusy(tr("Adding partitions to %1…").arg(topic));
    client->createPartitions(topic, total)
        .then(this, [this, topic, total](const Result<ItemResult> &r) {
            finish(r.ok(),
                   r.ok() ? tr("%1 now has %2 partitions.").arg(topic).arg(total)
                          : tr("Adding partitions to %1 failed: %2").arg(topic, r.error.message),
                   topic);
        });
}

void TopicActions::purge(const QString &topic)
{
    const ClusterSession *session = m_hold->session();
    const TopicInfo *info = session ? session->topic(topic) : nullptr;
    if (!allowed() || !info)
        return;
    const int partitions = int(info->partitions.size()); // info goes with the next refresh
    DeleteTopicDialog dialog(DeleteTopicDialog::Mode::Purge, m_parent);
    dialog.setTopic(topic, partitions, messagesOf(topic));
    if (dialog.exec() != QDialog::Accepted || !dialog.confirmed())
        return;
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    if (m_progress)
        m_progress->setBusy(tr("Purging %1…").arg(topic));
    client->purge(topic, partitions)
        .then(this, [this, topic](const Result<QList<PartitionOffsets>> &r) {
            finish(r.ok(),
                   r.ok() ? tr("All records of %1 deleted.").arg(topic)
                          : tr("Purging %1 failed: %2").arg(topic, r.error.message),
                   topic);
        });
}

void TopicActions::editConfig(const QString &topic, const ConfigEntry &entry)
{
    if (!allowed() || entry.readOnly)
        return;
    EditConfigDialog dialog(m_parent);
    dialog.setEntry(entry);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QMap<QString, QString> set;
    QStringList reset;
    if (dialog.resetToDefault())
        reset.append(entry.name);
    else
        set.insert(entry.name, dialog.newValue());
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    if (m_progress)
        m_progress->setBusy(tr("Changing %1 of %2…").arg(entry.name, topic));
    client->alterConfigs(ConfigResource::Type::Topic, topic, set, reset)
        .then(this, [this, topic, name = entry.name](const Result<ItemResult> &r) {
            finish(r.ok(),
                   r.ok() ? tr("%1 of %2 changed.").arg(name, topic)
                          : tr("Changing %1 failed: %2").arg(name, r.error.message),
                   topic);
        });
}

void TopicActions::produceTo(const QString &topic)
{
    if (!allowed() || !clientOrSay())
        return;
    auto *dialog = new ProducerDialog(m_hold->session(), m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTopic(topic);
    connect(dialog, &ProducerDialog::sent, this, &TopicActions::changed);
    dialog->show();
}

void TopicActions::importInto(const QString &topic)
{
    if (!allowed())
        return;
    const QString path = QFileDialog::getOpenFileName(
        m_parent, tr("Import JSON Lines into %1").arg(topic), QString(),
        tr("JSON Lines (*.jsonl *.ndjson *.json);;All files (*)"));
    if (!path.isEmpty())
        importFile(topic, path);
}

void TopicActions::importFile(const QString &topic, const QString &path)
{
    if (!allowed() || !clientOrSay())
        return;
    const QString file = QFileInfo(path).fileName();
    m_reading.cancel(); // a second import replaces the first one still being read
    if (m_progress)
        m_progress->setCancellableBusy(tr("Reading %1…").arg(file));
    QPointer<ActionProgress> banner = m_progress;
    m_reading = readJsonLinesInBackground(
        path,
        jobs::ProgressReporter(jobs::Mailbox::create(this), [banner](qint64 done, qint64 total) {
            if (banner)
                banner->setProgress(done, total);
        }));
    m_reading.then(this, [this, topic, file](Result<QList<OutgoingMessage>> read) {
        if (!read.ok()) {
            // The file's fault, not the cluster's: no error is counted against it.
            if (m_progress)
                m_progress->setResult(false,
                                      tr("Cannot import %1: %2").arg(file, read.error.message));
            return;
        }
        produceImported(topic, file, std::move(read.value));
    });
}

void TopicActions::produceImported(const QString &topic, const QString &file,
                                   QList<OutgoingMessage> messages)
{
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    if (!m_producer)
        m_producer = new Producer(client, Producer::DefaultTimeoutMs, this);
    const qsizetype total = messages.size();
    if (m_progress)
        m_progress->setBusy(
            tr("Importing %1 messages from %2 into %3…").arg(groupedNumber(total), file, topic));
    m_producer->produce(topic, std::move(messages))
        .then(this, [this, topic, total](const Result<QList<Delivery>> &r) {
            if (!r.ok()) {
                finish(false, tr("Importing into %1 failed: %2").arg(topic, r.error.message),
                       topic);
                return;
            }
            qsizetype failed = 0;
            QString firstError;
            for (const Delivery &d : r.value)
                if (!d.ok() && failed++ == 0)
                    firstError = d.error;
            if (failed == 0) {
                finish(true, tr("Imported %1 messages into %2").arg(groupedNumber(total), topic),
                       topic);
                return;
            }
            finish(false,
                   tr("Imported %1 of %2 messages into %3; %4 failed: %5")
                       .arg(groupedNumber(total - failed), groupedNumber(total), topic,
                            groupedNumber(failed), firstError),
                   topic);
            if (failed < total)
                Q_EMIT changed(topic);
        });
}

} // namespace periscope::widgets
