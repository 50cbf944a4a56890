#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace periscope::widgets {

// What the window's centre shows while no pane is open: where to begin, for a first start,
// for saved connections not yet connected, and for connected clusters.
class WelcomePane final : public QWidget
{
    Q_OBJECT

public:
    enum class Situation { NoConnections, NotConnected, Connected };

    explicit WelcomePane(QWidget *parent = nullptr);
    void setSituation(Situation situation);

Q_SIGNALS:
    void newConnectionRequested();
    void localBrokerRequested(); // with demo data: the quickest way to see every pane

private:
    QLabel *m_title;
    QLabel *m_text;
    QPushButton *m_newConnection;
    QPushButton *m_localBroker;
};

} // namespace periscope::widgets
