/*
 * simulate_xml.h - crm_simulate's --output-as=xml sections (simulate_xml.c): each made from
 * the text the library renders for the same section, appended to <pacemaker-result>.
 */
#ifndef PL_TOOLS_SIMULATE_XML_H
#define PL_TOOLS_SIMULATE_XML_H

#include <libxml/tree.h>

struct pl_pengine_run;

/* <cluster_status> or <revised_cluster_status>: crm_mon's <nodes> and <resources> */
void sim_xml_status(xmlNode *result, const char *element, struct pl_pengine_run *run);
/* from "Performing Requested Modifications:" lines */
void sim_xml_modifications(xmlNode *result, const char *text);
/* from pl_pengine_scores_text */
void sim_xml_scores(xmlNode *result, const char *text);
/* from pl_pengine_utilization_text */
void sim_xml_utilization(xmlNode *result, const char *text);
/* from pl_pengine_summary_text */
void sim_xml_actions(xmlNode *result, const char *text);
/* from pl_pengine_exec_text */
void sim_xml_transition(xmlNode *result, const char *text);

#endif
