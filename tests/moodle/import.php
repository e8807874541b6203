<?php
// Developer check for issue 13: import her2quiz exports into a real Moodle through its own
// importers (qformat_xml, qformat_gift), as Question bank → Import does with the form's
// defaults, and print what Moodle stored as JSON (the goldens in tests/fixtures/moodle/).
//
// Usage (from a Moodle 4.5 dirroot with a config.php; see tests/moodle/check.sh):
//   php -d max_input_vars=5000 import.php FORMAT FILE COURSE_SHORTNAME > stored.json
// FORMAT is xml or gift. Each run imports into a new course, so nothing is updated in place.

define('CLI_SCRIPT', true);
require(getcwd() . '/config.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/question/format.php');

[$script, $format, $file, $shortname] = $argv;
require_once($CFG->dirroot . "/question/format/{$format}/format.php");
\core\session\manager::set_user(get_admin());

$course = create_course((object) ['fullname' => $shortname, 'shortname' => $shortname, 'category' => 1]);
$context = context_course::instance($course->id);
$default = question_make_default_categories([$context]);
$contexts = new core_question\local\bank\question_edit_contexts($context);

$class = "qformat_{$format}";
$qformat = new $class();
$qformat->setCategory($default);
$qformat->setContexts($contexts->having_one_edit_tab_cap('import'));
$qformat->setCourse($course);
$qformat->setFilename($file);
$qformat->setRealfilename(basename($file));
$qformat->setMatchgrades('error');  // the form's defaults
$qformat->setCatfromfile(true);
$qformat->setContextfromfile(true);
$qformat->setStoponerror(true);
$qformat->set_display_progress(false);

ob_start();  // the importers echo their progress and errors as HTML
$ok = $qformat->importpreprocess() && $qformat->importprocess() && $qformat->importpostprocess();
$log = ob_get_clean();

echo json_encode(['moodle' => $CFG->release, 'format' => $format, 'ok' => (bool) $ok, 'errors' => import_errors($log), 'questions' => stored($context)],
        JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";

function import_errors(string $log): array {
    preg_match_all('~<div[^>]*class="[^"]*(?:notifyproblem|alert-danger)[^"]*"[^>]*>(.*?)</div>~s', $log, $m);
    return array_values(array_map(fn($s) => trim(strip_tags($s)), $m[1]));
}

function category_path(int $id): array {
    global $DB;
    $names = [];
    while ($id) {
        $category = $DB->get_record('question_categories', ['id' => $id], '*', MUST_EXIST);
        if ((int) $category->parent === 0) {
            break;  // the context's "top" category
        }
        array_unshift($names, $category->name);
        $id = (int) $category->parent;
    }
    return $names;
}

function answers(array $answers): array {
    $out = [];
    foreach ($answers as $a) {
        $out[] = ['answer' => $a->answer, 'fraction' => (float) $a->fraction, 'feedback' => $a->feedback];
    }
    return $out;
}

function stored(context $context): array {
    global $DB;
    $sql = "SELECT q.id, qbe.questioncategoryid
              FROM {question} q
              JOIN {question_versions} qv ON qv.questionid = q.id
              JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
              JOIN {question_categories} qc ON qc.id = qbe.questioncategoryid
             WHERE qc.contextid = ? AND q.parent = 0
          ORDER BY q.id";
    $out = [];
    foreach ($DB->get_records_sql($sql, [$context->id]) as $row) {
        $q = question_bank::load_question_data($row->id);
        $item = [
            'category' => category_path((int) $row->questioncategoryid),
            'name' => $q->name,
            'qtype' => $q->qtype,
            'idnumber' => $q->idnumber,
            'questiontext' => $q->questiontext,
            'questiontextformat' => (int) $q->questiontextformat,
            'generalfeedback' => $q->generalfeedback,
            'defaultmark' => (float) $q->defaultmark,
            'tags' => array_values(core_tag_tag::get_item_tags_array('core_question', 'question', $q->id)),
        ];
        $o = $q->options;
        switch ($q->qtype) {
            case 'multichoice':
                $item['single'] = (bool) $o->single;
                $item['shuffleanswers'] = (bool) $o->shuffleanswers;
                $item['answers'] = answers($o->answers);
                break;
            case 'truefalse':
                $item['correct'] = (float) $o->answers[$o->trueanswer]->fraction === 1.0;
                break;
            case 'shortanswer':
                $item['usecase'] = (bool) $o->usecase;
                $item['answers'] = answers($o->answers);
                break;
            case 'essay':
                $item['graderinfo'] = $o->graderinfo;
                break;
            case 'multianswer':
                $item['blanks'] = [];
                foreach ($o->questions as $n => $sub) {
                    $item['blanks'][] = ['number' => $n, 'qtype' => $sub->qtype,
                            'defaultmark' => (float) $sub->defaultmark, 'answers' => answers($sub->options->answers)];
                }
                break;
        }
        $out[] = $item;
    }
    return $out;
}
