"""Settings are one INI file that QSettings (the GUI) and the command line both read and write."""
import json

from PySide6.QtCore import QSettings

from pmqa_desktop import settings


def test_values_round_trip_between_qsettings_and_the_command_line():
    tricky = {"clerk_name": "นางสาวสมใจ ใจดี", "office": "สนจ.ราชบุรี, กลุ่มงานยุทธศาสตร์",
              "recent_files": json.dumps(["C:\\งาน\\pmqa.db", "/tmp/a b.db"], ensure_ascii=False),
              "note": ' "quoted" ; = with spaces '}
    settings.set_values(tricky)
    qs = QSettings(str(settings.settings_path()), QSettings.IniFormat)
    for key, value in tricky.items():
        assert qs.value(key) == value, key
    qs.setValue("office", "สำนักงานจังหวัดระยอง, กลุ่มงาน")
    qs.setValue("clerk_name", 'ชื่อ "เล่น"')
    qs.sync()
    assert settings.identity().office == "สำนักงานจังหวัดระยอง, กลุ่มงาน"
    assert settings.identity().clerk == 'ชื่อ "เล่น"'
    assert settings.read_all()["recent_files"] == tricky["recent_files"]
