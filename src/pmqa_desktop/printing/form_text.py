"""The printed forms are Thai official documents: their headings print in Thai whatever the
language of the program's screens.

Every heading is written in the code as ``thai(_("English msgid"))`` so it is extracted into
the catalog like any other string. When the Thai catalog translates it, that translation is
used; until then (or when the screens run in English) the Thai wording below, taken from
the seeds' forms, is printed.
"""
from __future__ import annotations

THAI: dict[str, str] = {
    "Page {page}/{pages}": "หน้า {page}/{pages}",
    # owners (seed 002)
    "List of owners of the PMQA criteria, {org}, fiscal year {year}":
        "รายชื่อผู้รับผิดชอบหมวด/ประเด็นการพัฒนาคุณภาพการบริหารจัดการภาครัฐ {org} ประจำปีงบประมาณ พ.ศ. {year}",
    "Category / criterion": "หมวด / ประเด็น",
    "Owner's name": "ผู้รับผิดชอบ (ชื่อ-สกุล)",
    "Position": "ตำแหน่ง",
    "Unit": "หน่วยงาน",
    "Phone": "โทรศัพท์",
    "Owner's e-mail": "e-mail",
    # calendar (seed 000, first table)
    "Operations calendar of the PMQA indicators, {org}, fiscal year {year}":
        "ปฏิทินในการดำเนินงานตามตัวชี้วัด การพัฒนาคุณภาพการบริหารจัดการภาครัฐ {org} ประจำปีงบประมาณ พ.ศ. {year}",
    "No.": "ลำดับ",
    "Course of action": "แนวทางการดำเนินงาน",
    "Period of operation, fiscal year {year}": "ระยะเวลาดำเนินการ ปีงบประมาณ {year}",
    "Remarks": "หมายเหตุ",
    # weekly (seed 000, second table)
    "PMQA work plan, {org}, fiscal year {year}":
        "แผนการดำเนินงานการพัฒนาคุณภาพการบริหารจัดการภาครัฐ (PMQA) {org} ประจำปีงบประมาณ พ.ศ. {year}",
    "Category": "หมวด",
    "Code": "รหัส",
    "Months {first} to {last}": "เดือน {first} ถึง {last}",
    "(continued)": "(ต่อ)",
    "Main activities": "กิจกรรมหลัก",
    "stated {stated} baht does not match the sum of the steps {total} baht":
        "ยอดที่ระบุ {stated} บาท ไม่ตรงกับผลรวมขั้นตอน {total} บาท",
    "sum of the steps; the stated budgets add up to {stated} baht": "ผลรวมขั้นตอน ยอดที่ระบุรวม {stated} บาท",
    # development plan (seed 001)
    "Organisation development plan, {org}, fiscal year {year}":
        "แผนพัฒนาองค์การ {org} ประจำปีงบประมาณ พ.ศ. {year}",
    "Activity / step": "กิจกรรม/ขั้นตอน",
    "Duration": "ระยะเวลา",
    "Start": "เริ่มต้น",
    "End": "สิ้นสุด",
    "Fiscal year {year}": "ปีงบประมาณ {year}",
    "Output / progress indicator": "ผลผลิต/ ดัชนีความก้าวหน้า",
    "Responsible": "ผู้รับผิดชอบ",
    "Related": "ผู้เกี่ยวข้อง",
    "Budget": "งบประมาณ",
    "Activity {number} {title}": "กิจกรรมที่ {number} {title}",
    "Total budget of the activity": "รวมงบประมาณกิจกรรม",
    "Total budget of the plan": "รวมงบประมาณทั้งแผน",
    "baht": "บาท",
    "Policy (plan heading)": "แนวนโยบาย",
    # form 7.2
    "Form 7.2": "แบบฟอร์มที่ 7.2",
    "Form showing the success indicators of the organisation development plan, fiscal year {year}":
        "แบบฟอร์มแสดงตัวชี้วัดความสำเร็จของการดำเนินการตามแผนพัฒนาองค์การประจำปีงบประมาณ พ.ศ. {year}",
    "Development plan": "แผนพัฒนาองค์การ",
    "Dimension": "มิติด้าน",
    "Indicator (KPI)": "ตัวชี้วัด KPI",
    "Current data": "ข้อมูลปัจจุบัน",
    "Target (form 7.2)": "เป้าหมาย Target",
    "Weight (form 7.2)": "น้ำหนักคะแนน",
    "Scoring criteria": "เกณฑ์การให้คะแนน",
    "{n} point": "{n} คะแนน",     # ngettext's English singular: Thai has one form
    "{n} points": "{n} คะแนน",
    "7.1 Effectiveness": "7.1 ด้านประสิทธิผล",
    "7.2 Quality of service": "7.2 ด้านคุณภาพการให้บริการ",
    "7.3 Efficiency of government work": "7.3 ด้านประสิทธิภาพของการปฏิบัติราชการ",
    "7.4 Organisation development": "7.4 ด้านการพัฒนาองค์การ",
    # progress
    "Progress report, {months}-month round, {org}, fiscal year {year}":
        "รายงานผลการดำเนินงานตามแผนพัฒนาองค์การ รอบ {months} เดือน {org} ประจำปีงบประมาณ พ.ศ. {year}",
    "Result": "ผลการดำเนินงาน",
    "Score": "คะแนนที่ได้",
    "Weighted score": "คะแนนถ่วงน้ำหนัก",
    "Weighted score of the plan": "คะแนนถ่วงน้ำหนักของแผน",
    "Step": "ขั้นตอน",
    "Status": "สถานะ",
    "Percent done": "ร้อยละความก้าวหน้า",
    "Evidence / remarks": "หลักฐาน/หมายเหตุ",
    "Indicators": "ตัวชี้วัด",
    "Steps": "ขั้นตอนการดำเนินงาน",
    "Rule below the first threshold: {rule}": "เกณฑ์เมื่อผลต่ำกว่าขั้นแรก: {rule}",
    "no result": "ยังไม่รายงานผล",
    "Note: {text}": "หมายเหตุ: {text}",
    "done": "ดำเนินการแล้ว",
    "in progress": "อยู่ระหว่างดำเนินการ",
    "not started": "ยังไม่ดำเนินการ",
    "late": "ล่าช้า",
    "cancelled": "ยกเลิก",
    "green": "เขียว",
    "yellow": "เหลือง",
    "red": "แดง",
    # approval block (seed 001)
    "Considered and approved for implementation": "พิจารณาเห็นชอบดำเนินการ",
    "Signed": "ลงนาม",
    "Signed on": "ลงนาม ณ วันที่",
    "Deputy Governor of {province}, acting for": "รองผู้ว่าราชการจังหวัด{province} ปฏิบัติราชการแทน",
    "Governor of {province}": "ผู้ว่าราชการจังหวัด{province}",
}


def thai(text: str) -> str:
    """The Thai wording of a form heading (the catalog's translation if it has one)."""
    return THAI.get(text, text)
