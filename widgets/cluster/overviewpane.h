#pragma once

#include "client/clustersession.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace periscope::widgets {

class SessionHold;

// The cluster at a glance: id, controller, client version and the counts that matter.
class OverviewPane final : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPane(client::ClusterSession *session, QWidget *parent = nullptr);

private:
    void update();

    SessionHold *m_hold;
    QLabel *m_title;
    QLabel *m_state;
    QFormLayout *m_form;
};

} // namespace periscope::widgets
