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

TopicActions::TopicActions(ClusterSession *session, ActionProgress *progress, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_session(session)
    , m_progress(progress)
    , m_parent(dialogParent)
{}

qint64 TopicActions::messagesOf(const QString &topic) const
{
    qint64 n = 0;
    for (const PartitionOffsets &o : m_session->offsets())
        if (o.topic == topic)
            n += o.messages();
    return n;
}

void TopicActions::finish(bool ok, const QString &message, const QString &topic)
{
    if (!ok)
        m_session->countError();
    if (m_progress)
        m_progress->setResult(ok, message);
    if (ok)
        Q_EMIT changed(topic);
}

void TopicActions::createTopic()
{
    if (!allowed())
        return;
    CreateTopicDialog dialog(m_parent);
    dialog.setBrokerCount(std::max(1, int(m_session->metadata().brokers.size())));
    QStringList names;
    for (const TopicInfo &t : m_session->metadata().topics)
        names.append(t.name);
    dialog.setExistingNames(names);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const NewTopic topic = dialog.newTopic();
    if (m_progress)
        m_progress->setBusy(tr("Creating topic %1…").arg(topic.name));
    m_session->client()->createTopics({topic}).then(
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
    const TopicInfo *info = m_session->topic(topic);
    if (!allowed() || !info)
        return;
    DeleteTopicDialog dialog(DeleteTopicDialog::Mode::Delete, m_parent);
    dialog.setTopic(topic, int(info->partitions.size()), messagesOf(topic));
    if (dialog.exec() != QDialog::Accepted || !dialog.confirmed())
        return;
    if (m_progress)
        m_progress->setBusy(tr("Deleting topic %1…").arg(topic));
    m_session->client()->deleteTopics({topic}).then(
        this, [this, topic](const Result<QList<ItemResult>> &r) {
            const ClientError e = firstError(r);
            finish(!e.isError(),
                   e.isError() ? tr("Deleting %1 failed: %2").arg(topic, e.message)
                               : tr("Topic %1 deleted.").arg(topic),
                   topic);
        });
}

void TopicActions::addPartitions(const QString &topic)
{
    const TopicInfo *info = m_session->topic(topic);
    if (!allowed() || !info)
        return;
    AddPartitionsDialog dialog(m_parent);
    dialog.setTopic(topic, int(info->partitions.size()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    const int total = dialog.newTotal();
    if (m_progress)
        m_progress->setBusy(tr("Adding partitions to %1…").arg(topic));
    m_session->client()
        ->createPartitions(topic, total)
        .then(this, [this, topic, total](const Result<ItemResult> &r) {
            finish(r.ok(),
                   r.ok() ? tr("%1 now has %2 partitions.").arg(topic).arg(total)
                          : tr("Adding partitions to %1 failed: %2").arg(topic, r.error.message),
                   topic);
        });
}

void TopicActions::purge(const QString &topic)
{
    const TopicInfo *info = m_session->topic(topic);
    if (!allowed() || !info)
        return;
    DeleteTopicDialog dialog(DeleteTopicDialog::Mode::Purge, m_parent);
    dialog.setTopic(topic, int(info->partitions.size()), messagesOf(topic));
    if (dialog.exec() != QDialog::Accepted || !dialog.confirmed())
        return;
    if (m_progress)
        m_progress->setBusy(tr("Purging %1…").arg(topic));
    m_session->client()
        ->purge(topic, int(info->partitions.size()))
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
    if (m_progress)
        m_progress->setBusy(tr("Changing %1 of %2…").arg(entry.name, topic));
    m_session->client()
        ->alterConfigs(ConfigResource::Type::Topic, topic, set, reset)
        .then(this, [this, topic, name = entry.name](const Result<ItemResult> &r) {
            finish(r.ok(),
                   r.ok() ? tr("%1 of %2 changed.").arg(name, topic)
                          : tr("Changing %1 failed: %2").arg(name, r.error.message),
                   topic);
        });
}

void TopicActions::produceTo(const QString &topic)
{
    if (!allowed())
        return;
    auto *dialog = new ProducerDialog(m_session, m_parent);
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
    if (!allowed())
        return;
    const QString file = QFileInfo(path).fileName();
    Result<QList<OutgoingMessage>> read = readJsonLines(path);
    if (!read.ok()) {
        // The file's fault, not the cluster's: no error is counted against it.
        if (m_progress)
            m_progress->setResult(false, tr("Cannot import %1: %2").arg(file, read.error.message));
        return;
    }
    if (!m_producer)
        m_producer = new Producer(m_session->client()->settings().properties,
                                  Producer::DefaultTimeoutMs, this);
    const qsizetype total = read.value.size();
    if (m_progress)
        m_progress->setBusy(tr("Importing %1 messages into %2…").arg(groupedNumber(total), topic));
    m_producer->produce(topic, std::move(read.value))
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
