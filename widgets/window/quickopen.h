#pragma once

#include "common/quickopenmodel.h"

#include <QDialog>

class QLineEdit;
class QListView;

namespace periscope::widgets {

// Ctrl+K: type part of a topic or group name, Enter opens it.
class QuickOpen final : public QDialog
{
    Q_OBJECT
public:
    explicit QuickOpen(QWidget *parent = nullptr);
    void setEntries(const QList<models::QuickOpenEntry> &entries);
    void popup();

Q_SIGNALS:
    void chosen(const periscope::models::QuickOpenEntry &entry);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void accept() override;

    models::QuickOpenModel *m_model;
    QLineEdit *m_edit;
    QListView *m_list;
};

} // namespace periscope::widgets
