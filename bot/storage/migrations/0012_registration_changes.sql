-- The officers whose part of the registration figures may have changed (added, removed, moved to
-- another department, another status, a change of history), in order, whoever writes: the
-- figures kept in memory take again only these officers' rows. The oldest are dropped as writes
-- go (a reader further behind reads everything again).
CREATE TABLE registration_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    officer_id INTEGER NOT NULL
);

CREATE TRIGGER registration_changes_officer_added AFTER INSERT ON officers
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (NEW.id);
END;

CREATE TRIGGER registration_changes_officer_removed AFTER DELETE ON officers
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (OLD.id);
END;

CREATE TRIGGER registration_changes_officer_changed AFTER UPDATE OF id, department, status
    ON officers
    WHEN NEW.id IS NOT OLD.id OR NEW.department IS NOT OLD.department
        OR NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (OLD.id);
    INSERT INTO registration_changes (officer_id) SELECT NEW.id WHERE NEW.id IS NOT OLD.id;
END;

CREATE TRIGGER registration_changes_history_added AFTER INSERT ON status_history
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (NEW.officer_id);
END;

CREATE TRIGGER registration_changes_history_removed AFTER DELETE ON status_history
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (OLD.officer_id);
END;

CREATE TRIGGER registration_changes_history_changed AFTER UPDATE ON status_history
BEGIN
    INSERT INTO registration_changes (officer_id) VALUES (OLD.officer_id);
    INSERT INTO registration_changes (officer_id)
        SELECT NEW.officer_id WHERE NEW.officer_id IS NOT OLD.officer_id;
END;
