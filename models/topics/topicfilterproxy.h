#pragma once

#include <QPointer>
#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace periscope::models {

class TopicsModel;

// Filters topics by name (substring or regular expression) and hides internal topics on
// request; sorts by TopicsModel::SortRole so numbers sort as numbers.
class TopicFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TopicFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    void setPattern(const QString &pattern);
    QString pattern() const { return m_pattern; }
    void setRegexMode(bool on);
    bool regexMode() const { return m_regexMode; }
    void setHideInternal(bool hide);
    bool hideInternal() const { return m_hideInternal; }

    // False when regex mode is on and the pattern does not compile; nothing is shown then.
    bool patternValid() const { return m_patternValid; }
    QString patternError() const { return m_patternError; }

Q_SIGNALS:
    void patternValidityChanged(bool valid);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void compile();

    QPointer<TopicsModel> m_topics; // the source, when it is a TopicsModel
    QString m_pattern;
    QRegularExpression m_regex;
    bool m_regexMode = false;
    bool m_hideInternal = false;
    bool m_patternValid = true;
    QString m_patternError;
};

} // namespace periscope::models
