#include "groups/groupactions.h"

#include "common/actionprogress.h"
#include "groups/resetoffsetsdialog.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QWidget>

namespace periscope::widgets {

using namespace client;

GroupActions::GroupActions(SessionHold *hold, ActionProgress *progress, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_hold(hold)
    , m_progress(progress)
    , m_parent(dialogParent)
{}

ClusterClient *GroupActions::clientOrSay()
{
    ClusterClient *client = m_hold->client();
    if (!client && m_progress)
        m_progress->setResult(false, m_hold->endedText());
    return client;
}

monitor::SnapshotPtr GroupActions::snapshot() const
{
    const monitor::LagSampler *sampler = m_hold->sampler();
    return sampler ? sampler->snapshot() : nullptr;
}

void GroupActions::finish(bool ok, const QString &message, const QString &group)
{
    if (ClusterSession *session = m_hold->session(); session && !ok)
        session->countError();
    if (m_progress)
        m_progress->setResult(ok, message);
    if (ok) {
        if (monitor::LagSampler *sampler = m_hold->sampler())
            sampler->refresh();
        Q_EMIT changed(group);
    }
}

void GroupActions::resetOffsets(const QString &group, const QString &topic,
                                const QList<int> &partitions)
{
    if (!allowed() || group.isEmpty())
        return;
    // One reset at a time: a dialog with a write out refuses to close, so it stays.
    if (m_resetDialog && !m_resetDialog->close()) {
        m_resetDialog->raise();
        return;
    }
    if (!clientOrSay())
        return;
    const monitor::SnapshotPtr lagNow = snapshot();
    const monitor::GroupLag *lag = lagNow ? lagNow->group(group) : nullptr;
    auto *dialog = new ResetOffsetsDialog(m_hold->session(), group,
                                          lag ? lag->topics : QStringList(), m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setScope(topic, partitions);
    connect(dialog, &ResetOffsetsDialog::applied, this, [this](const QString &g, int count) {
        finish(true, tr("Group %1: %n offset(s) reset.", nullptr, count).arg(g), g);
    });
    m_resetDialog = dialog;
    dialog->open();
}

void GroupActions::deleteGroup(const QString &group)
{
    if (!allowed() || group.isEmpty())
        return;
    // What goes, as the sampler last saw it: the user confirms knowing how much.
    QString what = tr("all its committed offsets");
    if (const monitor::SnapshotPtr s = snapshot())
        if (const monitor::GroupLag *g = s->group(group)) {
            int committed = 0;
            for (const monitor::PartitionLag &p : g->partitions)
                committed += p.committed >= 0 ? 1 : 0;
            what = tr("its committed offsets on %n partition(s) of %1", nullptr, committed)
                       .arg(g->topics.join(QLatin1String(", ")));
            if (!g->members.isEmpty())
                what += tr(" — it has %n member(s) now, so Kafka will refuse", nullptr,
                           int(g->members.size()));
        }
    bool ok = false;
    const QString typed = QInputDialog::getText(
        m_parent, tr("Delete consumer group"),
        tr("Deleting group %1 forgets %2. Kafka refuses while the group has members.\n\nType "
           "the group id to confirm:")
            .arg(group, what),
        QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    if (typed != group) {
        if (m_progress)
            m_progress->setResult(false,
                                  tr("Not deleted: the id typed does not match %1.").arg(group));
        return;
    }
    ClusterClient *client = clientOrSay(); // the session may have ended meanwhile
    if (!client)
        return;
    if (m_progress)
        m_progress->setBusy(tr("Deleting group %1…").arg(group));
    client->deleteGroup(group).then(this, [this, group](const Result<ItemResult> &r) {
        finish(r.ok(),
               r.ok() ? tr("Group %1 deleted.").arg(group)
                      : tr("Deleting group %1 failed: %2").arg(group, r.error.message),
               group);
    });
}

void GroupActions::deleteOffsets(const QString &group, const QString &topic)
{
    if (!allowed() || group.isEmpty() || topic.isEmpty())
        return;
    QList<int> partitions;
    QStringList listed;
    if (const monitor::SnapshotPtr s = snapshot())
        if (const monitor::GroupLag *g = s->group(group))
            for (const monitor::PartitionLag &p : g->partitions)
                if (p.topic == topic && p.committed >= 0) {
                    partitions.append(p.partition);
                    listed.append(tr("%1 at %2").arg(p.partition).arg(p.committed));
                }
    if (partitions.isEmpty()) {
        if (m_progress)
            m_progress->setResult(false, tr("Group %1 has no offsets for %2.").arg(group, topic));
        return;
    }
    const auto answer = QMessageBox::question(
        m_parent, tr("Delete committed offsets"),
        tr("Forget the offsets group %1 committed for topic %2 (partition %3)? Its consumers "
           "will start from their auto.offset.reset position next time.")
            .arg(group, topic, listed.join(QLatin1String(", "))),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    ClusterClient *client = clientOrSay();
    if (!client)
        return;
    if (m_progress)
        m_progress->setBusy(tr("Deleting the offsets of %1 for %2…").arg(group, topic));
    client->deleteGroupOffsets(group, topic, partitions)
        .then(this, [this, group, topic](const Result<QList<GroupOffset>> &r) {
            QString error = r.ok() ? QString() : r.error.message;
            for (const GroupOffset &o : r.value)
                if (error.isEmpty() && !o.error.isEmpty())
                    error = tr("partition %1: %2").arg(o.partition).arg(o.error);
            finish(
                error.isEmpty(),
                error.isEmpty()
                    ? tr("Offsets of group %1 for %2 deleted.").arg(group, topic)
                    : tr("Deleting the offsets of %1 for %2 failed: %3").arg(group, topic, error),
                group);
        });
}

} // namespace periscope::widgets
