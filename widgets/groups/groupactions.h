#pragma once

#include "client/clustersession.h"
#include "common/sessionhold.h"
#include "groups/resetoffsetsdialog.h"
#include "monitor/lagsampler.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace periscope::widgets {

class ActionProgress;

// The consumer-group actions of a cluster: reset offsets (through a preview dialog),
// delete a group, delete a group's offsets for a topic. Each asks first, is refused on a
// read-only profile, and reports the broker's answer on an ActionProgress banner.
class GroupActions final : public QObject
{
    Q_OBJECT
public:
    GroupActions(SessionHold *hold, ActionProgress *progress, QWidget *dialogParent);

    bool allowed() const { return !m_hold->readOnly() && !m_hold->hasEnded(); }
    // Opens the reset dialog for the whole group, one topic, or some of its partitions.
    void resetOffsets(const QString &group, const QString &topic, const QList<int> &partitions);
    void deleteGroup(const QString &group);
    void deleteOffsets(const QString &group, const QString &topic);
    // The reset dialog open now, if any (tests drive it).
    ResetOffsetsDialog *resetDialog() const { return m_resetDialog; }

Q_SIGNALS:
    void changed(const QString &group);

private:
    void finish(bool ok, const QString &message, const QString &group);
    // The cluster's client, or null (and the banner says why) once the session ended.
    client::ClusterClient *clientOrSay();
    monitor::SnapshotPtr snapshot() const;

    SessionHold *m_hold;
    QPointer<ActionProgress> m_progress;
    QWidget *m_parent;
    QPointer<ResetOffsetsDialog> m_resetDialog;
};

} // namespace periscope::widgets
